using ReportingSync.Source;

namespace ReportingSync.Model;

/// <summary>
/// Where a parallel seed stands (DESIGN.md, "Parallel seed"), kept in the entity's state and committed with every page
/// like a cursor: the key ranges planned so far and each one's next link; while the keys-only change-tracking read is
/// still going, its next link (<see cref="KeysNext"/>) and the id where the unplanned rest of the key space starts
/// (<see cref="Frontier"/>); once it is over, the delta link it ended with (<see cref="Token"/>), which the entity
/// streams from when every range is in.
/// </summary>
public sealed record ParallelSeedProgress(string? Token, IReadOnlyList<SeedRange> Ranges, string? KeysNext = null, Guid? Frontier = null)
{
    /// <summary>Nothing read yet: the keys read starts from the beginning and no range is planned.</summary>
    public static ParallelSeedProgress NotStarted { get; } = new(null, []);

    /// <summary>The keys read is over: every range is planned and the token to stream from is known.</summary>
    public bool Planned => Token is not null;

    public bool Done => Planned && Ranges.All(p => p.Done);

    public ParallelSeedProgress With(int index, SeedRange range)
    {
        var ranges = Ranges.ToArray();
        ranges[index] = range;
        return this with { Ranges = ranges };
    }

    /// <summary>
    /// Adds ranges cut from the keys read so far, with where that read goes on (<paramref name="keysNext"/>, null once
    /// it ended in <paramref name="token"/>) and where the key space not yet planned starts.
    /// </summary>
    public ParallelSeedProgress Plan(IEnumerable<IdRange> ranges, string? keysNext, Guid? frontier, string? token) =>
        new(token, [.. Ranges, .. ranges.Select(r => new SeedRange(r.From, r.To, null, false))], keysNext, frontier);

    /// <summary>Value equality over the ranges too (records compare lists by reference).</summary>
    public bool Equals(ParallelSeedProgress? other) =>
        other is not null && Token == other.Token && KeysNext == other.KeysNext && Frontier == other.Frontier && Ranges.SequenceEqual(other.Ranges);

    public override int GetHashCode() => HashCode.Combine(Token, KeysNext, Frontier, Ranges.Count);
}
