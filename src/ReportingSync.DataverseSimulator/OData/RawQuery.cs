namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// Query options parsed from the raw request target, decoding each name and value exactly once. '+' is kept
/// literally (OData does not treat it as a space), so values like date offsets survive.
/// </summary>
internal sealed class RawQuery
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public static RawQuery Parse(string? query)
    {
        var result = new RawQuery();
        if (string.IsNullOrEmpty(query))
        {
            return result;
        }

        var text = query[0] == '?' ? query[1..] : query;
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? string.Empty : part[(eq + 1)..];
            result._items.Add(new(Decode(name), Decode(value)));
        }

        return result;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    public string? this[string name] => _items.FirstOrDefault(i => i.Key == name).Value;

    public bool Contains(string name) => _items.Any(i => i.Key == name);

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw ErrorCodes.BadRequest($"The query string contains an invalid escape: '{text}'.");
        }
    }
}
