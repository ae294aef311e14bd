namespace ReportingSync.Model;

/// <summary>Per-entity column filter. Include empty means "all readable attributes". Exclude wins over Include.</summary>
public sealed record ColumnSelection
{
    public IReadOnlyList<string> Include { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Attributes stored only as a keyed SHA-256 of their value (PII that must stay joinable, never readable).</summary>
    public IReadOnlyList<string> Mask { get; init; } = [];

    public static ColumnSelection All { get; } = new();

    public bool Allows(string attributeName)
    {
        if (Exclude.Contains(attributeName, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        return Include.Count == 0 || Include.Contains(attributeName, StringComparer.OrdinalIgnoreCase);
    }

    public bool Masks(string attributeName) => Mask.Contains(attributeName, StringComparer.OrdinalIgnoreCase);
}
