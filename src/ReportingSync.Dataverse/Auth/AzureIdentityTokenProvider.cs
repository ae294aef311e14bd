using Azure;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// Entra tokens for the scope <c>{Url}/.default</c>. Azure.Identity caches tokens too, but asking it still costs a
/// lock and an MSAL cache look-up per call; keeping the token here until shortly before it expires makes the hot path
/// a field read. One refresh runs at a time; concurrent callers wait for it.
/// </summary>
internal sealed class AzureIdentityTokenProvider : IAccessTokenProvider, IDisposable
{
    /// <summary>Refresh this long before expiry (or at half the lifetime for short-lived tokens).</summary>
    internal static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential _credential;
    private readonly TokenRequestContext _request;
    private readonly string _host;
    private readonly DataverseAuthMode _mode;
    private readonly string? _secret;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile CachedToken? _cached;

    public AzureIdentityTokenProvider(
        TokenCredential credential, Uri organisationUrl, DataverseAuthMode mode, string? secret, TimeProvider time, ILogger logger)
    {
        _credential = credential;
        _request = new TokenRequestContext([Scope(organisationUrl)]);
        _host = organisationUrl.Host;
        _mode = mode;
        _secret = string.IsNullOrEmpty(secret) ? null : secret;
        _time = time;
        _logger = logger;
    }

    /// <summary>Dataverse's resource scope: the organisation URL's authority with <c>/.default</c>.</summary>
    public static string Scope(Uri organisationUrl) => organisationUrl.GetLeftPart(UriPartial.Authority) + "/.default";

    public ValueTask<string?> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        return cached is not null && _time.GetUtcNow() < cached.RefreshAt
            ? ValueTask.FromResult<string?>(cached.Header)
            : RefreshAsync(cancellationToken);
    }

    public void Invalidate() => _cached = null;

    private async ValueTask<string?> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var cached = _cached;
            var now = _time.GetUtcNow();
            if (cached is not null && now < cached.RefreshAt)
            {
                return cached.Header; // another caller refreshed while we waited
            }

            AccessToken token;
            try
            {
                token = await _credential.GetTokenAsync(_request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException or RequestFailedException)
            {
                throw Unavailable(ex);
            }

            var lifetime = token.ExpiresOn - now;
            var margin = lifetime > RefreshMargin * 2 ? RefreshMargin : lifetime / 2;
            var refreshAt = token.ExpiresOn - margin;
            if (token.RefreshOn is { } refreshOn && refreshOn < refreshAt)
            {
                refreshAt = refreshOn;
            }

            _cached = new CachedToken("Bearer " + token.Token, refreshAt);
            Log.TokenAcquired(_logger, _host, _mode, token.ExpiresOn);
            return _cached.Header;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Azure.Identity's messages carry tenant and client ids, not secrets; the secret is scrubbed anyway, and the inner
    /// exception is dropped if its text would show it.
    /// </summary>
    private SourceUnavailableException Unavailable(Exception ex)
    {
        var message = Redact($"Could not get an access token for {_host} (ReportingSync:Dataverse:Auth:Mode {_mode}): {ex.Message}");
        var inner = _secret is not null && ex.ToString().Contains(_secret, StringComparison.Ordinal) ? null : ex;

        // A missing managed identity or workload token file will not appear by itself.
        return new SourceUnavailableException(message, inner, isTransient: ex is not CredentialUnavailableException);
    }

    private string Redact(string text) => _secret is null ? text : text.Replace(_secret, "***", StringComparison.Ordinal);

    public void Dispose() => _refresh.Dispose();

    private sealed record CachedToken(string Header, DateTimeOffset RefreshAt)
    {
        public override string ToString() => $"CachedToken(RefreshAt={RefreshAt:O})"; // never print the token
    }
}
