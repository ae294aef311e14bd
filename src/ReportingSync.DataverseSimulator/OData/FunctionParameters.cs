namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// The parameters of a function call, <c>Name(Query=@p1,ClientVersionStamp=@p2)?@p1=…&amp;@p2='…'</c>: each value
/// written inline or as a parameter alias resolved from the query string (already decoded once).
/// </summary>
internal sealed class FunctionParameters
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static FunctionParameters Parse(ApiSegment function, QueryOptions query)
    {
        var parameters = new FunctionParameters();
        foreach (var part in SplitTopLevel(function.Key ?? string.Empty))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw ErrorCodes.BadRequest($"The function parameter '{part}' is not of the form Name=value.");
            }

            var value = part[(eq + 1)..].Trim();
            if (value.StartsWith('@'))
            {
                value = query.Raw[value] ?? throw ErrorCodes.BadRequest($"The parameter alias '{value}' has no value in the query string.");
            }

            parameters._values[part[..eq].Trim()] = value;
        }

        return parameters;
    }

    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>An OData string literal (<c>'it''s'</c>) as the string it stands for; null when the parameter is absent.</summary>
    public string? StringLiteral(string name)
    {
        if (this[name] is not { } text)
        {
            return null;
        }

        return text.Length >= 2 && text[0] == '\'' && text[^1] == '\''
            ? text[1..^1].Replace("''", "'", StringComparison.Ordinal)
            : throw ErrorCodes.BadRequest($"The parameter {name} must be a string literal in single quotes; it is {text}.");
    }

    /// <summary>Commas outside quotes, braces and brackets separate parameters.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\'':
                    quoted = !quoted;
                    break;
                case '{' or '[' or '(' when !quoted:
                    depth++;
                    break;
                case '}' or ']' or ')' when !quoted:
                    depth--;
                    break;
                case ',' when !quoted && depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
