using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// nextLink / deltaLink URLs are opaque and already encoded (<c>%21</c>, <c>%2f</c>, double-encoded paging cookies):
/// they are sent byte for byte, never decoded or rebuilt. They are followed only to the configured organisation, so a
/// tampered cursor cannot send our access token elsewhere.
/// </summary>
internal static class ContinuationLink
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public static Uri ToUri(string link, Uri organisationUrl, string entity)
    {
        if (!Uri.TryCreate(link, in Verbatim, out var uri) || !uri.IsAbsoluteUri
            || !string.Equals(uri.Scheme, organisationUrl.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(uri.Host, organisationUrl.Host, StringComparison.OrdinalIgnoreCase)
            || uri.Port != organisationUrl.Port)
        {
            throw new CursorRejectedException(
                entity, 0, $"the saved link is not an absolute URL of {organisationUrl.GetLeftPart(UriPartial.Authority)}; only links Dataverse returned for this organisation are followed.");
        }

        return uri;
    }
}
