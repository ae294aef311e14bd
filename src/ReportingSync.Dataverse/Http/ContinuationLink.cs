using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// nextLink / deltaLink URLs are opaque and already encoded (<c>%21</c>, <c>%2f</c>, double-encoded paging cookies):
/// they are sent byte for byte, never decoded or rebuilt. They are followed only to the configured organisation, so a
/// tampered cursor cannot send our access token elsewhere; a link of the same organisation under another host is moved
/// here by the engine first (<see cref="SourceLink.Rebase"/>), once it has checked the organisation id.
/// </summary>
internal static class ContinuationLink
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <exception cref="CursorRejectedException">The link is not an absolute URL of the organisation (never sent).</exception>
    public static Uri ToUri(string link, Uri organisationUrl, string entity)
    {
        var here = organisationUrl.GetLeftPart(UriPartial.Authority);
        if (!Uri.TryCreate(link, in Verbatim, out var uri) || !uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https"))
        {
            throw CursorRejectedException.NotSent(entity, $"it is not an absolute http(s) URL, so it cannot be a link Dataverse at {here} returned.");
        }

        if (!SourceLink.IsOn(link, organisationUrl))
        {
            throw CursorRejectedException.NotSent(
                entity,
                $"it points at {SourceLink.OriginOf(link)}, not at the configured organisation {here}, and only links of the configured " +
                "organisation are followed. If the organisation moved to this URL (the same organisation id), the links are moved here before " +
                "they are read; otherwise the read starts over.");
        }

        return uri;
    }
}
