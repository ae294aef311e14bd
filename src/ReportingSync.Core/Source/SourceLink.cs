namespace ReportingSync.Source;

/// <summary>
/// The organisation a saved nextLink/deltaLink points at, and moving it to another host of the same organisation. Links
/// are opaque and already encoded (<c>%21</c>, <c>%2f</c>, double-encoded paging cookies): only the scheme and authority
/// are ever replaced; the path and query are kept byte for byte, never decoded or re-encoded.
/// </summary>
public static class SourceLink
{
    /// <summary>
    /// The link with its scheme and authority replaced by <paramref name="organizationUrl"/>'s, the rest unchanged. Use it
    /// when the configured organisation URL changed (an environment renamed, a host alias) and the organisation is the
    /// same one that issued the link (compare <see cref="IChangeSource.GetOrganizationIdAsync"/> with the stored id):
    /// Dataverse links carry no organisation of their own, so a link of another organisation would be accepted and
    /// return that organisation's idea of "changes since".
    /// </summary>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) URL.</exception>
    public static string Rebase(string link, Uri organizationUrl)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(organizationUrl);
        var origin = Origin(organizationUrl);
        var end = AuthorityEnd(link);
        return origin + link.AsSpan(end).ToString();
    }

    /// <summary>True when the link is an absolute URL on the organisation's scheme, host and port.</summary>
    public static bool IsOn(string link, Uri organizationUrl)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(organizationUrl);
        return Uri.TryCreate(link, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, organizationUrl.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, organizationUrl.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == organizationUrl.Port;
    }

    /// <summary>
    /// True when the link is an absolute http(s) URL on another scheme, host or port than the organisation's. A link with
    /// no host of its own (a source that is not Dataverse's Web API) is never elsewhere: there is nothing to move.
    /// </summary>
    public static bool IsElsewhere(string link, Uri organizationUrl) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !IsOn(link, organizationUrl);

    /// <summary><c>scheme://host[:port]</c> of a link, for messages; the link itself when it has none.</summary>
    public static string OriginOf(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Authority) : link;

    private static string Origin(Uri organizationUrl)
    {
        if (!organizationUrl.IsAbsoluteUri || organizationUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The organisation URL '{organizationUrl}' is not an absolute http(s) URL.", nameof(organizationUrl));
        }

        return organizationUrl.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>Index just after <c>scheme://authority</c>: the first '/', '?' or '#' after "://", or the end.</summary>
    private static int AuthorityEnd(string link)
    {
        var separator = link.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator > 0 ? link[..separator] : string.Empty;
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The saved link is not an absolute http(s) URL, so there is no host to replace.", nameof(link));
        }

        var start = separator + 3;
        var end = link.IndexOfAny(['/', '?', '#'], start);
        if (end == start)
        {
            throw new ArgumentException("The saved link has no host.", nameof(link));
        }

        return end < 0 ? link.Length : end;
    }
}
