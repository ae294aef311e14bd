using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>Maps metadata's AttributeType (and AttributeTypeName for Virtual) to the kinds we replicate.</summary>
internal static class AttributeKinds
{
    /// <summary>The kind, or null for types we skip (PartyList, CalendarRules, ManagedProperty, Image, File, ...).</summary>
    public static AttributeKind? From(string? attributeType, string? attributeTypeName) => attributeType switch
    {
        "String" => AttributeKind.String,
        "Memo" => AttributeKind.Memo,
        "Integer" => AttributeKind.Integer,
        "BigInt" => AttributeKind.BigInt,
        "Decimal" => AttributeKind.Decimal,
        "Money" => AttributeKind.Money,
        "Double" => AttributeKind.Double,
        "Boolean" => AttributeKind.Boolean,
        "DateTime" => AttributeKind.DateTime,
        "Picklist" => AttributeKind.Picklist,
        "State" => AttributeKind.State,
        "Status" => AttributeKind.Status,
        "Lookup" => AttributeKind.Lookup,
        "Customer" => AttributeKind.Customer,
        "Owner" => AttributeKind.Owner,
        "Uniqueidentifier" => AttributeKind.Uniqueidentifier,
        "EntityName" => AttributeKind.EntityName,

        // Multi-select choice is the one Virtual type with a value in the Web API.
        "Virtual" when attributeTypeName == "MultiSelectPicklistType" => AttributeKind.MultiSelectPicklist,
        _ => null,
    };
}
