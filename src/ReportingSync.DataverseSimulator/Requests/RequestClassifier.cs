namespace ReportingSync.DataverseSimulator.Requests;

/// <summary>Works out a request's kind and entity set from its raw target and Prefer header, before routing.</summary>
internal static class RequestClassifier
{
    public const string ApiPrefix = "/api/data/v9.2/";

    public static (RequestKind Kind, bool IsNextLink, string? EntitySet) Classify(string rawTarget, string? prefer)
    {
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? string.Empty : rawTarget[(question + 1)..];
        if (path.StartsWith("/admin", StringComparison.Ordinal))
        {
            return (RequestKind.Admin, false, null);
        }

        if (!path.StartsWith(ApiPrefix, StringComparison.Ordinal))
        {
            return (RequestKind.Other, false, null);
        }

        var first = Uri.UnescapeDataString(path[ApiPrefix.Length..]);
        var end = first.IndexOfAny(['(', '/']);
        var segment = end < 0 ? first : first[..end];
        var isNextLink = HasOption(query, "$skiptoken");
        if (segment is "EntityDefinitions" or "$metadata" or "GlobalOptionSetDefinitions" or "RetrieveMetadataChanges")
        {
            var table = first.Length > end + 1 && end >= 0 ? TableFromKey(first[end..]) : null;
            return (RequestKind.Metadata, false, table);
        }

        if (HasOption(query, "$deltatoken"))
        {
            return (RequestKind.Delta, isNextLink, segment);
        }

        var tracking = (prefer?.Contains("odata.track-changes", StringComparison.OrdinalIgnoreCase) ?? false)
            || query.Contains("istracking%3D%22True", StringComparison.OrdinalIgnoreCase)
            || query.Contains("istracking=%22True", StringComparison.OrdinalIgnoreCase);
        return (tracking ? RequestKind.Initial : RequestKind.Query, isNextLink, segment);
    }

    private static bool HasOption(string query, string name) =>
        query.Split('&').Any(p => Uri.UnescapeDataString(p.Split('=')[0]) == name);

    private static string? TableFromKey(string rest)
    {
        const string marker = "LogicalName='";
        var start = rest.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = rest.IndexOf('\'', start);
        return end < 0 ? null : rest[start..end];
    }
}
