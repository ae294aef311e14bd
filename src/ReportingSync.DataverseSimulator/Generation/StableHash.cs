namespace ReportingSync.DataverseSimulator.Generation;

/// <summary>
/// Hashes that never change between runs or platforms (unlike <see cref="string.GetHashCode()"/>), so generated data
/// is a pure function of the seed, the table, the row index and the attribute name.
/// </summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return Mix(hash);
    }

    /// <summary>SplitMix64 finaliser: spreads every input bit over the whole word.</summary>
    public static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ (b * 0xD6E8FEB86659FD93UL));
}
