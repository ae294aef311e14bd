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
    private static readonly JsonEncodedText ETag = JsonEncodedText.Encode("@odata.etag");
    private static readonly JsonEncodedText Context = JsonEncodedText.Encode("@odata.context");

    public static void Write(Utf8JsonWriter writer, SimulatorStore store, TableView view, in RowRef row, RowLayout layout, string? context = null)
    {
        writer.WriteStartObject();
        if (context is not null)
        {
            writer.WriteString(Context, context);
        }

        Span<char> etag = stackalloc char[32];
        "W/\"".CopyTo(etag);
        store.VersionOf(view.Table, row).TryFormat(etag[3..], out var digits, provider: CultureInfo.InvariantCulture);
        etag[3 + digits] = '"';
        writer.WriteString(ETag, etag[..(4 + digits)]);
        foreach (var column in layout.Columns)
        {
            var value = store.Read(view.Table, row, column.Source);
            if (value is LookupValue lookup)
            {
                if (layout.Formatted && lookup.Name is not null)
                {
                    writer.WriteString(column.FormattedName, lookup.Name);
                }

                if (layout.NavigationProperty)
                {
                    writer.WriteString(column.NavigationName, NavigationProperty(column.Source.Attribute, lookup));
                }

                if (layout.LookupLogicalName)
                {
                    writer.WriteString(column.LookupName, lookup.LogicalName);
                }

                writer.WriteString(column.Name, lookup.Id);
                continue;
            }

            if (value is null)
            {
                writer.WriteNull(column.Name);
                continue;
            }

            if (layout.Formatted && column.HasFormattedValue && FormattedValues.For(column.Source.Attribute, value) is { } text)
            {
                writer.WriteString(column.FormattedName, text);
            }

            writer.WritePropertyName(column.Name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        Span<char> buffer = stackalloc char[24];
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
                d.TryFormat(buffer, out var written, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                writer.WriteStringValue(buffer[..written]);
                break;
            case DateOnly d:
                d.TryFormat(buffer, out var length, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                writer.WriteStringValue(buffer[..length]);
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
