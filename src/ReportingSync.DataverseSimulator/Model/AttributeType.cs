namespace ReportingSync.DataverseSimulator.Model;

/// <summary>The Dataverse <c>AttributeTypeCode</c> values the simulator serves.</summary>
internal enum AttributeType
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
    Virtual,
    Lookup,
    Customer,
    Owner,
    Uniqueidentifier,
    EntityName,
}
