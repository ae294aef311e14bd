namespace ReportingSync.DataverseSimulator.Generation;

/// <summary>A tiny SplitMix64 stream for one cell: cheap to create, deterministic from its seed.</summary>
internal struct CellRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return StableHash.Mix(_state);
    }

    /// <summary>A value in [0, bound).</summary>
    public int Next(int bound) => bound <= 1 ? 0 : (int)(NextUInt64() % (ulong)bound);

    public long NextLong(long bound) => bound <= 1 ? 0 : (long)(NextUInt64() % (ulong)bound);

    public int Between(int minInclusive, int maxInclusive) => minInclusive + Next(maxInclusive - minInclusive + 1);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
