using Azure.Core;
using Azure.Identity;

namespace ReportingSync.Hints;

/// <summary>
/// The <c>Authorization</c> header value for Service Bus: a SAS token made from the configured key, or an Entra token for
/// <c>https://servicebus.azure.net/.default</c>; both cached and renewed five minutes before they expire.
/// </summary>
internal sealed class ServiceBusCredential
{
    private static readonly TimeSpan SasLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private static readonly string[] Scopes = ["https://servicebus.azure.net/.default"];

    private readonly ServiceBusHintOptions _options;
    private readonly string _resource;
    private readonly TimeProvider _time;
    private readonly TokenCredential? _entra;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _header;
    private DateTimeOffset _expires;

    public ServiceBusCredential(ServiceBusHintOptions options, string resource, TimeProvider time, TokenCredential? entra = null)
    {
        _options = options;
        _resource = resource;
        _time = time;
        _entra = options.UseEntraToken ? entra ?? new DefaultAzureCredential() : null;
    }

    public async ValueTask<string> GetHeaderAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_header is { } cached && now < _expires - RenewBefore)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = _time.GetUtcNow();
            if (_header is { } again && now < _expires - RenewBefore)
            {
                return again;
            }

            if (_entra is not null)
            {
                var token = await _entra.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken).ConfigureAwait(false);
                _header = "Bearer " + token.Token;
                _expires = token.ExpiresOn;
            }
            else
            {
                _expires = now + SasLifetime;
                _header = ServiceBusSasToken.Create(_resource, _options.SasKeyName!, _options.SasKey!, _expires);
            }

            return _header;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After a 401: the next request makes a fresh token.</summary>
    public void Invalidate() => _header = null;
}
