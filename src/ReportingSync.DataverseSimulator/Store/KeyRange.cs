namespace ReportingSync.DataverseSimulator.Store;

/// <summary>Bounds on row keys for a scan; null bounds are open.</summary>
internal readonly record struct KeyRange(UInt128? Lower, bool LowerInclusive, UInt128? Upper, bool UpperInclusive)
{
    public static readonly KeyRange All = new(null, false, null, false);

    public static KeyRange After(UInt128 key) => new(key, false, null, false);

    public bool Contains(UInt128 key) =>
        (Lower is not { } lo || (LowerInclusive ? key >= lo : key > lo))
        && (Upper is not { } hi || (UpperInclusive ? key <= hi : key < hi));

    /// <summary>The tighter of two ranges.</summary>
    public KeyRange Intersect(KeyRange other)
    {
        var (lower, lowerInclusive) = (Lower, LowerInclusive);
        if (other.Lower is { } ol && (lower is not { } l || ol > l || (ol == l && !other.LowerInclusive)))
        {
            (lower, lowerInclusive) = (ol, other.LowerInclusive);
        }

        var (upper, upperInclusive) = (Upper, UpperInclusive);
        if (other.Upper is { } ou && (upper is not { } u || ou < u || (ou == u && !other.UpperInclusive)))
        {
            (upper, upperInclusive) = (ou, other.UpperInclusive);
        }

        return new KeyRange(lower, lowerInclusive, upper, upperInclusive);
    }
}
