using System.Globalization;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// The display strings the service adds as <c>@OData.Community.Display.V1.FormattedValue</c> annotations (the
/// simulated user is en-GB-ish with a UTC time zone and pounds sterling).
/// </summary>
internal static class FormattedValues
{
    public static string? For(AttributeDefinition a, object value) => value switch
    {
        LookupValue lookup => lookup.Name,
        int i when a.IsChoice => a.OptionSet?.Find(i)?.Label,
        string s when a.IsMultiSelect => string.Join("; ", s.Split(',').Select(v => int.TryParse(v, out var n) ? a.OptionSet?.Find(n)?.Label ?? v : v)),
        bool b => a.OptionSet?.Find(b ? 1 : 0)?.Label ?? (b ? "Yes" : "No"),
        decimal d when a.Type == AttributeType.Money => "£" + d.ToString("N" + (a.Precision ?? 2), CultureInfo.InvariantCulture),
        decimal d => d.ToString("N" + (a.Precision ?? 2), CultureInfo.InvariantCulture),
        double d => d.ToString("N" + (a.Precision ?? 2), CultureInfo.InvariantCulture),
        int i => i.ToString("N0", CultureInfo.InvariantCulture),
        long l => l.ToString("N0", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("M/d/yyyy", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("M/d/yyyy h:mm tt", CultureInfo.InvariantCulture),
        _ => null,
    };
}
