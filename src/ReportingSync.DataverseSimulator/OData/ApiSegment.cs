namespace ReportingSync.DataverseSimulator.OData;

/// <summary>One path segment of a Web API URL: <c>contacts</c>, <c>contacts(00000000-…)</c>, <c>EntityDefinitions(LogicalName='contact')</c>.</summary>
internal sealed record ApiSegment(string Name, string? Key)
{
    public static IReadOnlyList<ApiSegment> ParsePath(string path)
    {
        var segments = new List<ApiSegment>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] == '(')
            {
                depth++;
            }
            else if (i < path.Length && path[i] == ')')
            {
                depth--;
            }
            else if ((i == path.Length || path[i] == '/') && depth == 0)
            {
                if (i > start)
                {
                    segments.Add(Parse(path[start..i]));
                }

                start = i + 1;
            }
        }

        return segments;
    }

    /// <summary>The value of a named key (<c>LogicalName='x'</c>) or of a bare key.</summary>
    public string? KeyValue(string name)
    {
        if (Key is null)
        {
            return null;
        }

        var prefix = name + "=";
        var text = Key.StartsWith(prefix, StringComparison.Ordinal) ? Key[prefix.Length..] : Key;
        return text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' ? text[1..^1].Replace("''", "'", StringComparison.Ordinal) : text;
    }

    private static ApiSegment Parse(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || !text.EndsWith(')'))
        {
            return new ApiSegment(text, null);
        }

        return new ApiSegment(text[..open], text[(open + 1)..^1]);
    }
}
