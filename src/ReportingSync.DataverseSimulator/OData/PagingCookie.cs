using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// The <c>$skiptoken</c> of a nextLink, shaped like the real service's double-encoded paging cookie:
/// <c>&lt;cookie pagenumber="2" pagingcookie="%3ccookie%20page%3d%221%22%3e%3ccontactid%20last%3d%22%7b…%7d%22 …" istracking="False" /&gt;</c>.
/// The inner cookie holds the last row's id (and sort values for ordered queries); for change tracking it also
/// holds the snapshot version the read started at, and for delta pages the upper bound and offset.
/// </summary>
internal sealed partial record PagingCookie
{
    /// <summary>The page the link asks for (the outer <c>pagenumber</c>).</summary>
    public required int PageNumber { get; init; }

    public required bool IsTracking { get; init; }

    public required string KeyAttribute { get; init; }

    public UInt128? LastKey { get; init; }

    public UInt128? FirstKey { get; init; }

    /// <summary>Sort-key values of the last row, for ordered queries (null for a null value).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> LastValues { get; init; } = [];

    /// <summary>Change tracking: organisation version when the read began, and when that was (Unix seconds).</summary>
    public long? Snapshot { get; init; }

    public long? SnapshotTime { get; init; }

    /// <summary>Delta pages: position in the computed change list.</summary>
    public int? Offset { get; init; }

    public string Encode()
    {
        var inner = new XElement("cookie", new XAttribute("page", (PageNumber - 1).ToString(CultureInfo.InvariantCulture)));
        if (Snapshot is { } snapshot)
        {
            inner.Add(new XAttribute("snapshot", snapshot.ToString(CultureInfo.InvariantCulture)));
            inner.Add(new XAttribute("snapshottime", (SnapshotTime ?? 0).ToString(CultureInfo.InvariantCulture)));
        }

        if (Offset is { } offset)
        {
            inner.Add(new XAttribute("offset", offset.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var (name, value) in LastValues)
        {
            inner.Add(new XElement(name, new XAttribute("last", value ?? string.Empty)));
        }

        if (LastKey is { } last)
        {
            inner.Add(new XElement(KeyAttribute,
                new XAttribute("last", FormatGuid(last)),
                new XAttribute("first", FormatGuid(FirstKey ?? last))));
        }

        var innerText = inner.ToString(SaveOptions.DisableFormatting);
        var outer = $"<cookie pagenumber=\"{PageNumber.ToString(CultureInfo.InvariantCulture)}\" pagingcookie=\"{PercentEncoding.EncodeLower(innerText)}\" istracking=\"{(IsTracking ? "True" : "False")}\" />";
        return PercentEncoding.EncodeOuterCookie(outer);
    }

    /// <summary>Parses a <c>$skiptoken</c> value that the query string decoding has already unescaped once.</summary>
    public static PagingCookie Decode(string skipToken, string keyAttribute)
    {
        try
        {
            var attributes = OuterAttribute().Matches(skipToken).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            if (!skipToken.TrimStart().StartsWith("<cookie", StringComparison.Ordinal)
                || !attributes.TryGetValue("pagenumber", out var pageNumber)
                || !attributes.TryGetValue("pagingcookie", out var pagingCookie))
            {
                throw Invalid(skipToken);
            }

            var inner = XElement.Parse(Uri.UnescapeDataString(pagingCookie));
            var keyElement = inner.Element(keyAttribute);
            var values = inner.Elements()
                .Where(e => e.Name.LocalName != keyAttribute)
                .Select(e => new KeyValuePair<string, string?>(e.Name.LocalName, e.Attribute("last")?.Value is { Length: > 0 } v ? v : null))
                .ToList();
            return new PagingCookie
            {
                PageNumber = int.Parse(pageNumber, CultureInfo.InvariantCulture),
                IsTracking = attributes.TryGetValue("istracking", out var tracking) && tracking.Equals("True", StringComparison.OrdinalIgnoreCase),
                KeyAttribute = keyAttribute,
                LastKey = keyElement?.Attribute("last") is { } lastKey ? ParseGuid(lastKey.Value) : null,
                FirstKey = keyElement?.Attribute("first") is { } firstKey ? ParseGuid(firstKey.Value) : null,
                LastValues = values,
                Snapshot = inner.Attribute("snapshot") is { } s ? long.Parse(s.Value, CultureInfo.InvariantCulture) : null,
                SnapshotTime = inner.Attribute("snapshottime") is { } t ? long.Parse(t.Value, CultureInfo.InvariantCulture) : null,
                Offset = inner.Attribute("offset") is { } o ? int.Parse(o.Value, CultureInfo.InvariantCulture) : null,
            };
        }
        catch (Exception e) when (e is FormatException or XmlException or OverflowException or UriFormatException)
        {
            throw Invalid(skipToken);
        }
    }

    private static string FormatGuid(UInt128 key) => SqlGuidOrder.FromKey(key).ToString("B").ToUpperInvariant();

    private static UInt128 ParseGuid(string text) => SqlGuidOrder.ToKey(Guid.Parse(text));

    private static ODataException Invalid(string skipToken) =>
        new(400, ErrorCodes.InvalidArgument, $"The $skiptoken '{skipToken}' is not a valid paging cookie.");

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex OuterAttribute();
}
