using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>
/// A cast segment that reads type details (<c>.../Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata</c>) and
/// the query it needs. One request per cast covers every attribute of that type.
/// </summary>
internal sealed record AttributeCast(string TypeName, string Query)
{
    private static readonly AttributeCast String = new("StringAttributeMetadata", "$select=LogicalName,MaxLength");
    private static readonly AttributeCast Memo = new("MemoAttributeMetadata", "$select=LogicalName,MaxLength");
    private static readonly AttributeCast Decimal = new("DecimalAttributeMetadata", "$select=LogicalName,Precision");
    private static readonly AttributeCast Money = new("MoneyAttributeMetadata", "$select=LogicalName,Precision,PrecisionSource");
    private static readonly AttributeCast Double = new("DoubleAttributeMetadata", "$select=LogicalName,Precision");
    private static readonly AttributeCast DateTime = new("DateTimeAttributeMetadata", "$select=LogicalName,DateTimeBehavior");

    // Customer and Owner attributes are LookupAttributeMetadata too.
    private static readonly AttributeCast Lookup = new("LookupAttributeMetadata", "$select=LogicalName,Targets");
    private static readonly AttributeCast Picklist = new("PicklistAttributeMetadata", "$select=LogicalName&$expand=OptionSet,GlobalOptionSet");
    private static readonly AttributeCast MultiSelectPicklist =
        new("MultiSelectPicklistAttributeMetadata", "$select=LogicalName&$expand=OptionSet,GlobalOptionSet");
    private static readonly AttributeCast State = new("StateAttributeMetadata", "$select=LogicalName&$expand=OptionSet");
    private static readonly AttributeCast Status = new("StatusAttributeMetadata", "$select=LogicalName&$expand=OptionSet");

    /// <summary>The cast holding details for <paramref name="kind"/>, or null when the base attribute says enough.</summary>
    public static AttributeCast? For(AttributeKind kind) => kind switch
    {
        AttributeKind.String => String,
        AttributeKind.Memo => Memo,
        AttributeKind.Decimal => Decimal,
        AttributeKind.Money => Money,
        AttributeKind.Double => Double,
        AttributeKind.DateTime => DateTime,
        AttributeKind.Lookup or AttributeKind.Customer or AttributeKind.Owner => Lookup,
        AttributeKind.Picklist => Picklist,
        AttributeKind.MultiSelectPicklist => MultiSelectPicklist,
        AttributeKind.State => State,
        AttributeKind.Status => Status,
        _ => null,
    };
}
