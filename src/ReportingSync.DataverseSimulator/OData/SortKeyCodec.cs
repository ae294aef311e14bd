using System.Globalization;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>Writes sort-key values into a paging cookie as invariant text and reads them back typed.</summary>
internal static class SortKeyCodec
{
    public static string? Format(object? value) => value switch
    {
        null => null,
        LookupValue l => l.Id.ToString("D"),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static object? Parse(string? text, AttributeDefinition attribute)
    {
        if (text is null)
        {
            return null;
        }

        if (attribute.IsLookup)
        {
            return Guid.TryParse(text, out var id) ? id : null;
        }

        return ValueCoercion.Convert(text, attribute);
    }
}
