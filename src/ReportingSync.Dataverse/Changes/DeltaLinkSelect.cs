namespace ReportingSync.Dataverse;

/// <summary>
/// A delta link repeats the <c>$select</c> of the read that produced it. When drift changes the layout (a column added,
/// an attribute removed from Dataverse), following the old link would ask for a property that no longer exists
/// (HTTP 400) or miss a new one. The delta token itself is a version stamp independent of the column list, so only
/// the <c>$select</c> value is replaced; the rest of the link, token included, stays byte for byte. Should Dataverse
/// refuse the rewritten link, the read fails as a rejected cursor and the entity is re-seeded.
/// </summary>
internal static class DeltaLinkSelect
{
    private const string Key = "$select=";

    public static string Rebase(string link, string select)
    {
        var query = link.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return link;
        }

        var start = link.IndexOf("?" + Key, query, StringComparison.Ordinal) is var q and >= 0 ? q + 1 : link.IndexOf("&" + Key, query, StringComparison.Ordinal) + 1;
        if (start <= 0)
        {
            return link;
        }

        var valueStart = start + Key.Length;
        var end = link.IndexOf('&', valueStart);
        var current = end < 0 ? link[valueStart..] : link[valueStart..end];
        return current == select ? link : string.Concat(link.AsSpan(0, valueStart), select, end < 0 ? "" : link.AsSpan(end));
    }
}
