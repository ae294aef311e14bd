using System.Globalization;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>The system query options of one request, parsed from the raw query string.</summary>
internal sealed class QueryOptions
{
    private QueryOptions(RawQuery raw)
    {
        Raw = raw;
    }

    public RawQuery Raw { get; }

    public IReadOnlyList<string>? Select { get; private init; }

    public string? Filter { get; private init; }

    public IReadOnlyList<OrderByItem>? OrderBy { get; private init; }

    public string? OrderByText { get; private init; }

    public int? Top { get; private init; }

    public bool Count { get; private init; }

    public string? SkipToken { get; private init; }

    public string? DeltaToken { get; private init; }

    public IReadOnlyList<ExpandItem>? Expand { get; private init; }

    public static QueryOptions Parse(RawQuery raw)
    {
        if (raw.Contains("$skip"))
        {
            throw ErrorCodes.BadRequest("Skip Clause is not supported in CRM");
        }

        return new QueryOptions(raw)
        {
            Select = raw["$select"] is { } select ? SplitList(select) : null,
            Filter = raw["$filter"] is { Length: > 0 } filter ? filter : null,
            OrderByText = raw["$orderby"],
            OrderBy = raw["$orderby"] is { } orderBy ? ParseOrderBy(orderBy) : null,
            Top = raw["$top"] is { } top ? ParseTop(top) : null,
            Count = raw["$count"] is { } count && count.Equals("true", StringComparison.OrdinalIgnoreCase),
            SkipToken = raw["$skiptoken"],
            DeltaToken = raw["$deltatoken"],
            Expand = raw["$expand"] is { } expand ? ParseExpand(expand) : null,
        };
    }

    public static IReadOnlyList<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static IReadOnlyList<ExpandItem> ParseExpand(string text)
    {
        var items = new List<ExpandItem>();
        foreach (var part in SplitTopLevel(text))
        {
            var open = part.IndexOf('(', StringComparison.Ordinal);
            if (open < 0)
            {
                items.Add(new ExpandItem(part, null));
                continue;
            }

            var name = part[..open].Trim();
            var nested = part[(open + 1)..part.LastIndexOf(')')];
            IReadOnlyList<string>? select = null;
            foreach (var option in nested.Split(';', StringSplitOptions.TrimEntries))
            {
                if (option.StartsWith("$select=", StringComparison.Ordinal))
                {
                    select = SplitList(option["$select=".Length..]);
                }
            }

            items.Add(new ExpandItem(name, select));
        }

        return items;
    }

    private static IReadOnlyList<OrderByItem> ParseOrderBy(string text) =>
        SplitList(text).Select(item =>
        {
            var parts = item.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var descending = parts.Length > 1 && parts[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
            if (parts.Length > 2 || (parts.Length == 2 && !descending && !parts[1].Equals("asc", StringComparison.OrdinalIgnoreCase)))
            {
                throw ErrorCodes.BadRequest($"Syntax error in $orderby: '{item}'.");
            }

            return new OrderByItem(parts[0], descending);
        }).ToList();

    private static int ParseTop(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var top)
            ? top
            : throw ErrorCodes.BadRequest($"Invalid value '{text}' for $top query option found. The $top query option requires a non-negative integer value.");

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..].Trim();
        }
    }
}
