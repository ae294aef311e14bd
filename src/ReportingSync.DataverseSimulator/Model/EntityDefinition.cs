using System.Collections.Frozen;
using System.Collections.Immutable;

namespace ReportingSync.DataverseSimulator.Model;

/// <summary>A table and its attributes. Immutable; the attribute index is built once per instance.</summary>
internal sealed class EntityDefinition
{
    private readonly FrozenDictionary<string, AttributeDefinition> _byName;
    private readonly FrozenDictionary<string, AttributeDefinition> _byODataName;

    public EntityDefinition(
        string logicalName,
        string schemaName,
        string entitySetName,
        string primaryIdAttribute,
        string? primaryNameAttribute,
        bool changeTrackingEnabled,
        int objectTypeCode,
        Guid metadataId,
        ImmutableArray<AttributeDefinition> attributes)
    {
        LogicalName = logicalName;
        SchemaName = schemaName;
        EntitySetName = entitySetName;
        PrimaryIdAttribute = primaryIdAttribute;
        PrimaryNameAttribute = primaryNameAttribute;
        ChangeTrackingEnabled = changeTrackingEnabled;
        ObjectTypeCode = objectTypeCode;
        MetadataId = metadataId;
        Attributes = attributes;
        _byName = attributes.ToFrozenDictionary(a => a.LogicalName, StringComparer.Ordinal);
        _byODataName = attributes.Where(a => a.IsDataColumn).ToFrozenDictionary(a => a.ODataName, StringComparer.Ordinal);
    }

    public string LogicalName { get; }

    public string SchemaName { get; }

    public string EntitySetName { get; }

    public string PrimaryIdAttribute { get; }

    public string? PrimaryNameAttribute { get; }

    public bool ChangeTrackingEnabled { get; }

    public int ObjectTypeCode { get; }

    public Guid MetadataId { get; }

    public ImmutableArray<AttributeDefinition> Attributes { get; }

    public bool IsCustomEntity => LogicalName.StartsWith("dfeta_", StringComparison.Ordinal);

    public AttributeDefinition? Find(string logicalName) => _byName.GetValueOrDefault(logicalName);

    /// <summary>Finds a selectable data column by its OData property name (<c>_x_value</c> for lookups).</summary>
    public AttributeDefinition? FindColumn(string odataName) => _byODataName.GetValueOrDefault(odataName);

    public EntityDefinition WithAttributes(ImmutableArray<AttributeDefinition> attributes) => new(
        LogicalName, SchemaName, EntitySetName, PrimaryIdAttribute, PrimaryNameAttribute, ChangeTrackingEnabled,
        ObjectTypeCode, MetadataId, attributes);

    public EntityDefinition WithChangeTracking(bool enabled) => new(
        LogicalName, SchemaName, EntitySetName, PrimaryIdAttribute, PrimaryNameAttribute, enabled,
        ObjectTypeCode, MetadataId, Attributes);
}
