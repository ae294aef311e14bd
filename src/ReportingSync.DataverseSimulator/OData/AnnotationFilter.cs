namespace ReportingSync.DataverseSimulator.OData;

/// <summary>Which instance annotations a request asked for: <c>*</c>, <c>Namespace.*</c>, exact names, <c>-</c> exclusions.</summary>
internal sealed class AnnotationFilter
{
    public const string FormattedValue = "OData.Community.Display.V1.FormattedValue";
    public const string LookupLogicalName = "Microsoft.Dynamics.CRM.lookuplogicalname";
    public const string NavigationProperty = "Microsoft.Dynamics.CRM.associatednavigationproperty";
    public const string TotalRecordCount = "Microsoft.Dynamics.CRM.totalrecordcount";
    public const string TotalRecordCountLimitExceeded = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded";

    public static readonly AnnotationFilter None = new([], []);

    private readonly string[] _include;
    private readonly string[] _exclude;

    private AnnotationFilter(string[] include, string[] exclude)
    {
        _include = include;
        _exclude = exclude;
    }

    public static AnnotationFilter Parse(string value)
    {
        var patterns = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new AnnotationFilter(
            [.. patterns.Where(p => !p.StartsWith('-'))],
            [.. patterns.Where(p => p.StartsWith('-')).Select(p => p[1..])]);
    }

    public bool Includes(string annotation) =>
        _include.Any(p => Matches(p, annotation)) && !_exclude.Any(p => Matches(p, annotation));

    private static bool Matches(string pattern, string annotation) =>
        pattern == "*"
        || string.Equals(pattern, annotation, StringComparison.OrdinalIgnoreCase)
        || (pattern.EndsWith(".*", StringComparison.Ordinal)
            && annotation.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase));
}
