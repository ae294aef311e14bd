namespace ReportingSync.Model;

/// <summary>A Dataverse table and its readable attributes, as read from EntityDefinitions.</summary>
public sealed record EntitySchema
{
    public required string LogicalName { get; init; }
    public required string EntitySetName { get; init; }
    public required string PrimaryIdAttribute { get; init; }
    public string? PrimaryNameAttribute { get; init; }
    public bool ChangeTrackingEnabled { get; init; }
    public Guid MetadataId { get; init; }
    public IReadOnlyList<AttributeSchema> Attributes { get; init; } = [];

    public AttributeSchema? FindAttribute(string logicalName) =>
        Attributes.FirstOrDefault(a => string.Equals(a.LogicalName, logicalName, StringComparison.Ordinal));
}
