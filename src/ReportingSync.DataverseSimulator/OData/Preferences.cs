using System.Text;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// The Prefer header: <c>odata.track-changes</c>, <c>odata.maxpagesize=n</c>,
/// <c>odata.include-annotations="..."</c>, comma-separated in one header or spread over several; quoted values may
/// contain commas.
/// </summary>
internal sealed class Preferences
{
    public bool TrackChanges { get; private set; }

    public int? MaxPageSize { get; private set; }

    public string? IncludeAnnotations { get; private set; }

    public AnnotationFilter Annotations { get; private set; } = AnnotationFilter.None;

    public static Preferences Parse(IEnumerable<string?> headers)
    {
        var result = new Preferences();
        foreach (var header in headers)
        {
            if (string.IsNullOrWhiteSpace(header))
            {
                continue;
            }

            foreach (var item in SplitOutsideQuotes(header))
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                var name = (eq < 0 ? item : item[..eq]).Trim().ToLowerInvariant();
                var value = eq < 0 ? null : item[(eq + 1)..].Trim().Trim('"');
                switch (name)
                {
                    case "odata.track-changes":
                        result.TrackChanges = true;
                        break;
                    case "odata.maxpagesize" when int.TryParse(value, out var size) && size > 0:
                        result.MaxPageSize = size;
                        break;
                    case "odata.include-annotations" when value is not null:
                        result.IncludeAnnotations = value;
                        result.Annotations = AnnotationFilter.Parse(value);
                        break;
                }
            }
        }

        return result;
    }

    /// <summary>The Preference-Applied value for what this request honoured.</summary>
    public string? Applied(bool trackChanges, int? pageSize)
    {
        var parts = new List<string>();
        if (trackChanges)
        {
            parts.Add("odata.track-changes");
        }

        if (pageSize is { } size)
        {
            parts.Add($"odata.maxpagesize={size}");
        }

        if (IncludeAnnotations is not null)
        {
            parts.Add($"odata.include-annotations=\"{IncludeAnnotations}\"");
        }

        return parts.Count == 0 ? null : string.Join(',', parts);
    }

    private static IEnumerable<string> SplitOutsideQuotes(string header)
    {
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in header)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (c == ',' && !quoted)
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
