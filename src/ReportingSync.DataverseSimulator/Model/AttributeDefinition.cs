using System.Collections.Immutable;

namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// One attribute of a table, with the metadata properties the Web API exposes for it. Immutable: schema operations
/// build a new definition and swap the table's schema.
/// </summary>
internal sealed record AttributeDefinition
{
    public required string LogicalName { get; init; }

    public required string SchemaName { get; init; }

    public required AttributeType Type { get; init; }

    /// <summary>The <c>AttributeTypeName</c> value, e.g. <c>StringType</c>, <c>MultiSelectPicklistType</c>.</summary>
    public required string TypeName { get; init; }

    public int? MaxLength { get; init; }

    public int? Precision { get; init; }

    /// <summary>Money only: where a value's precision comes from (0 attribute, 1 organisation pricing, 2 currency).</summary>
    public int? PrecisionSource { get; init; }

    public decimal? MinValue { get; init; }

    public decimal? MaxValue { get; init; }

    public DateTimeBehavior? Behavior { get; init; }

    public ImmutableArray<string> Targets { get; init; } = [];

    public OptionSetDefinition? OptionSet { get; init; }

    /// <summary>The attribute this one is derived from (<c>…name</c>, <c>…yominame</c>, <c>…type</c>), or null.</summary>
    public string? AttributeOf { get; init; }

    public bool IsValidForRead { get; init; } = true;

    public required Guid MetadataId { get; init; }

    public bool IsPrimaryId { get; init; }

    public bool IsPrimaryName { get; init; }

    public int ColumnNumber { get; init; }

    public bool IsCustomAttribute => LogicalName.StartsWith("dfeta_", StringComparison.Ordinal);

    public bool IsMultiSelect => TypeName == AttributeTypeNames.MultiSelectPicklist;

    public bool IsLookup => Type is AttributeType.Lookup or AttributeType.Customer or AttributeType.Owner;

    public bool IsChoice => Type is AttributeType.Picklist or AttributeType.State or AttributeType.Status || IsMultiSelect;

    /// <summary>
    /// True when rows carry a value for this attribute that a client can select: readable, not derived from another
    /// attribute, and not a Virtual attribute other than a multi-select choice.
    /// </summary>
    public bool IsDataColumn => IsValidForRead && AttributeOf is null && (Type != AttributeType.Virtual || IsMultiSelect);

    /// <summary>The property name in row JSON and in <c>$select</c>/<c>$filter</c>: <c>_x_value</c> for lookups.</summary>
    public string ODataName => IsLookup ? "_" + LogicalName + "_value" : LogicalName;

    public string? DateTimeFormat => Behavior switch
    {
        null => null,
        DateTimeBehavior.DateOnly => "DateOnly",
        _ => "DateAndTime",
    };

    /// <summary>The metadata entity type, without the <c>Microsoft.Dynamics.CRM.</c> namespace.</summary>
    public string MetadataTypeName => Type switch
    {
        AttributeType.String => "StringAttributeMetadata",
        AttributeType.Memo => "MemoAttributeMetadata",
        AttributeType.Integer => "IntegerAttributeMetadata",
        AttributeType.BigInt => "BigIntAttributeMetadata",
        AttributeType.Decimal => "DecimalAttributeMetadata",
        AttributeType.Money => "MoneyAttributeMetadata",
        AttributeType.Double => "DoubleAttributeMetadata",
        AttributeType.Boolean => "BooleanAttributeMetadata",
        AttributeType.DateTime => "DateTimeAttributeMetadata",
        AttributeType.Picklist => "PicklistAttributeMetadata",
        AttributeType.State => "StateAttributeMetadata",
        AttributeType.Status => "StatusAttributeMetadata",
        AttributeType.Lookup or AttributeType.Customer or AttributeType.Owner => "LookupAttributeMetadata",
        AttributeType.Uniqueidentifier => "UniqueIdentifierAttributeMetadata",
        AttributeType.EntityName => "EntityNameAttributeMetadata",
        AttributeType.Virtual when IsMultiSelect => "MultiSelectPicklistAttributeMetadata",
        AttributeType.Virtual when TypeName == AttributeTypeNames.Image => "ImageAttributeMetadata",
        _ => "AttributeMetadata",
    };
}
