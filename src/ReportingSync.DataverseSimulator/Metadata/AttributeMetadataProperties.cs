using System.Text.Json;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Metadata;

/// <summary>
/// The AttributeMetadata properties per metadata type: which exist on which type (for <c>$select</c> checks and cast
/// segments), their values, and their JSON shapes (complex values such as <c>{"Value":"StringType"}</c>).
/// </summary>
internal static class AttributeMetadataProperties
{
    public const string BaseType = "AttributeMetadata";

    public static readonly string[] Base =
    [
        "MetadataId", "LogicalName", "SchemaName", "EntityLogicalName", "AttributeType", "AttributeTypeName",
        "AttributeOf", "IsValidForRead", "IsValidForCreate", "IsValidForUpdate", "IsPrimaryId", "IsPrimaryName",
        "IsCustomAttribute", "IsLogical", "ColumnNumber", "HasChanged",
    ];

    private static readonly Dictionary<string, string[]> Derived = new(StringComparer.Ordinal)
    {
        ["StringAttributeMetadata"] = ["MaxLength", "Format", "FormatName", "DatabaseLength"],
        ["MemoAttributeMetadata"] = ["MaxLength", "Format"],
        ["IntegerAttributeMetadata"] = ["MinValue", "MaxValue", "Format"],
        ["BigIntAttributeMetadata"] = ["MinValue", "MaxValue"],
        ["DecimalAttributeMetadata"] = ["Precision", "MinValue", "MaxValue"],
        ["MoneyAttributeMetadata"] = ["Precision", "PrecisionSource", "MinValue", "MaxValue", "IsBaseCurrency"],
        ["DoubleAttributeMetadata"] = ["Precision", "MinValue", "MaxValue"],
        ["BooleanAttributeMetadata"] = ["DefaultValue"],
        ["DateTimeAttributeMetadata"] = ["Format", "DateTimeBehavior", "MinSupportedValue", "MaxSupportedValue"],
        ["EnumAttributeMetadata"] = ["DefaultFormValue"],
        ["PicklistAttributeMetadata"] = ["DefaultFormValue"],
        ["MultiSelectPicklistAttributeMetadata"] = ["DefaultFormValue"],
        ["StateAttributeMetadata"] = ["DefaultFormValue"],
        ["StatusAttributeMetadata"] = ["DefaultFormValue"],
        ["EntityNameAttributeMetadata"] = ["DefaultFormValue"],
        ["LookupAttributeMetadata"] = ["Targets"],
        ["UniqueIdentifierAttributeMetadata"] = [],
        ["ImageAttributeMetadata"] = ["MaxHeight", "MaxWidth", "IsPrimaryImage", "CanStoreFullImage"],
    };

    private static readonly Dictionary<string, string[]> Navigation = new(StringComparer.Ordinal)
    {
        ["PicklistAttributeMetadata"] = ["OptionSet", "GlobalOptionSet"],
        ["MultiSelectPicklistAttributeMetadata"] = ["OptionSet", "GlobalOptionSet"],
        ["StateAttributeMetadata"] = ["OptionSet", "GlobalOptionSet"],
        ["StatusAttributeMetadata"] = ["OptionSet", "GlobalOptionSet"],
        ["EnumAttributeMetadata"] = ["OptionSet", "GlobalOptionSet"],
        ["BooleanAttributeMetadata"] = ["OptionSet", "GlobalOptionSet"],
    };

    /// <summary>Every property of any attribute type (what a metadata query may filter on).</summary>
    public static readonly IReadOnlySet<string> AllNames = Base.Concat(Derived.Values.SelectMany(p => p)).ToHashSet(StringComparer.Ordinal);

    public static bool IsKnownType(string type) => type == BaseType || Derived.ContainsKey(type);

    /// <summary>Whether an attribute is an instance of a metadata type (casts select by this).</summary>
    public static bool IsOfType(AttributeDefinition attribute, string type) => type switch
    {
        BaseType => true,
        "EnumAttributeMetadata" => attribute.IsChoice || attribute.Type == AttributeType.EntityName,
        _ => attribute.MetadataTypeName == type,
    };

    /// <summary>Structural properties a request on <paramref name="type"/> may select.</summary>
    public static IEnumerable<string> PropertiesOf(string type) =>
        type == BaseType ? Base : Base.Concat(Derived.GetValueOrDefault(type) ?? []);

    public static IEnumerable<string> NavigationOf(string type) => Navigation.GetValueOrDefault(type) ?? [];

    /// <summary>The value of a property for <c>$filter</c> (enums and complex values by their name).</summary>
    public static object? ValueOf(EntityDefinition entity, AttributeDefinition a, string name) => name switch
    {
        "MetadataId" => a.MetadataId,
        "LogicalName" => a.LogicalName,
        "SchemaName" => a.SchemaName,
        "EntityLogicalName" => entity.LogicalName,
        "AttributeType" => a.Type.ToString(),
        "AttributeTypeName" => a.TypeName,
        "AttributeOf" => a.AttributeOf,
        "IsValidForRead" => a.IsValidForRead,
        "IsValidForCreate" or "IsValidForUpdate" => a.IsDataColumn && !a.IsPrimaryId && a.LogicalName is not ("versionnumber" or "createdon" or "modifiedon"),
        "IsPrimaryId" => a.IsPrimaryId,
        "IsPrimaryName" => a.IsPrimaryName,
        "IsCustomAttribute" => a.IsCustomAttribute,
        "IsLogical" => a.AttributeOf is not null,
        "ColumnNumber" => a.ColumnNumber,
        "HasChanged" => null,
        "MaxLength" => a.MaxLength,
        "DatabaseLength" => a.MaxLength * 2,
        "Format" => a.Type switch
        {
            AttributeType.String => a.LogicalName.Contains("email", StringComparison.Ordinal) ? "Email" : a.LogicalName.EndsWith("url", StringComparison.Ordinal) ? "Url" : "Text",
            AttributeType.Memo => "TextArea",
            AttributeType.DateTime => a.DateTimeFormat,
            _ => "None",
        },
        "FormatName" => ValueOf(entity, a, "Format"),
        "Precision" => a.Precision,
        "PrecisionSource" => a.PrecisionSource,
        "IsBaseCurrency" => a.LogicalName.EndsWith("_base", StringComparison.Ordinal),
        "MinValue" => a.MinValue,
        "MaxValue" => a.MaxValue,
        "DefaultValue" => false,
        "DefaultFormValue" => -1,
        "DateTimeBehavior" => a.Behavior?.ToString(),
        "MinSupportedValue" => new DateTime(1753, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        "MaxSupportedValue" => new DateTime(9999, 12, 30, 23, 59, 59, DateTimeKind.Utc),
        "Targets" => a.Targets.IsDefault ? Array.Empty<string>() : a.Targets.ToArray(),
        "MaxHeight" or "MaxWidth" => 144,
        "IsPrimaryImage" => true,
        "CanStoreFullImage" => false,
        _ => null,
    };

    public static void Write(Utf8JsonWriter writer, EntityDefinition entity, AttributeDefinition a, string name)
    {
        writer.WritePropertyName(name);
        switch (name)
        {
            case "AttributeTypeName" or "FormatName" or "DateTimeBehavior":
                if (ValueOf(entity, a, name) is string text)
                {
                    writer.WriteStartObject();
                    writer.WriteString("Value", text);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteNullValue();
                }

                break;
            case "Targets":
                writer.WriteStartArray();
                foreach (var target in (IEnumerable<string>)ValueOf(entity, a, name)!)
                {
                    writer.WriteStringValue(target);
                }

                writer.WriteEndArray();
                break;
            default:
                OData.RowJsonWriter.WriteValue(writer, ValueOf(entity, a, name));
                break;
        }
    }
}
