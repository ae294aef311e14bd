namespace ReportingSync.Model;

/// <summary>Dataverse attribute types we replicate (AttributeTypeCode names; multi-select choice is Virtual in metadata).</summary>
public enum AttributeKind
{
    String,
    Memo,
    Integer,
    BigInt,
    Decimal,
    Money,
    Double,
    Boolean,
    DateTime,
    Picklist,
    State,
    Status,
    MultiSelectPicklist,
    Lookup,
    Customer,
    Owner,
    Uniqueidentifier,
    EntityName,
}
