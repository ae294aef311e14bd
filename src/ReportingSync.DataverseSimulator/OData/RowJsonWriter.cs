using System.Globalization;
using System.Text.Json;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// Writes one row as the Web API does: <c>@odata.etag</c>, then each projected attribute (null when empty), lookups
/// as <c>_x_value</c>, each value preceded by the annotations the request asked for.
/// </summary>
internal static class RowJsonWriter
{
    public static void Write(
        Utf8JsonWriter writer,
        SimulatorStore store,
        TableView view,
        in RowRef row,
        Projection projection,
        AnnotationFilter annotations,
        string? context = null)
    {
        var formatted = annotations.Includes(AnnotationFilter.FormattedValue);
        var lookupName = annotations.Includes(AnnotationFilter.LookupLogicalName);
        var navigation = annotations.Includes(AnnotationFilter.NavigationProperty);
        writer.WriteStartObject();
        if (context is not null)
        {
            writer.WriteString("@odata.context", context);
        }

        writer.WriteString("@odata.etag", "W/\"" + store.VersionOf(view.Table, row).ToString(CultureInfo.InvariantCulture) + "\"");
        foreach (var attribute in projection.Attributes)
        {
            var value = store.GetValue(view.Table, view.Schema, row, attribute);
            var name = attribute.ODataName;
            if (value is LookupValue lookup)
            {
                if (formatted && lookup.Name is not null)
                {
                    writer.WriteString(name + "@" + AnnotationFilter.FormattedValue, lookup.Name);
                }

                if (navigation)
                {
                    writer.WriteString(name + "@" + AnnotationFilter.NavigationProperty, NavigationProperty(attribute, lookup));
                }

                if (lookupName)
                {
                    writer.WriteString(name + "@" + AnnotationFilter.LookupLogicalName, lookup.LogicalName);
                }

                writer.WriteString(name, lookup.Id);
                continue;
            }

            if (formatted && value is not null && !attribute.IsPrimaryId && attribute.LogicalName != "versionnumber" && FormattedValues.For(attribute, value) is { } text)
            {
                writer.WriteString(name + "@" + AnnotationFilter.FormattedValue, text);
            }

            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case decimal d:
                writer.WriteNumberValue(d);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case DateTime d:
                writer.WriteStringValue(d.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                break;
            case DateOnly d:
                writer.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case Guid g:
                writer.WriteStringValue(g);
                break;
            case LookupValue l:
                writer.WriteStringValue(l.Id);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string NavigationProperty(AttributeDefinition attribute, LookupValue lookup) =>
        attribute.Type == AttributeType.Customer ? attribute.LogicalName + "_" + lookup.LogicalName : attribute.LogicalName;
}
