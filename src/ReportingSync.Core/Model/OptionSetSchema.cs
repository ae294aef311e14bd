namespace ReportingSync.Model;

/// <summary>The options of a choice attribute. Global option sets are shared by name across entities.</summary>
public sealed record OptionSetSchema
{
    public required string Name { get; init; }
    public bool IsGlobal { get; init; }
    public IReadOnlyList<OptionSchema> Options { get; init; } = [];
}
