using Azure.Core;
using ReportingSync.Sql;

namespace ReportingSync.Hosting;

/// <summary>
/// Microsoft Entra access tokens for Azure SQL from an Azure.Identity credential (the worker uses
/// <c>DefaultAzureCredential</c>: workload or managed identity, environment variables, Azure CLI, ...). The SQL Server
/// target asks for a token for every connection it opens, so the token is kept until five minutes before it expires
/// (half its lifetime when shorter); one refresh runs at a time.
/// </summary>
internal sealed class AzureSqlAccessToken(TokenCredential credential, TimeProvider time)
{
    /// <summary>The resource scope of Azure SQL Database, Managed Instance and Synapse SQL.</summary>
    public const string Scope = "https://database.windows.net/.default";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Cached? _cached;

    /// <summary>The method the target calls, as the delegate it expects.</summary>
    public SqlServerAccessTokenProvider Provider => GetAsync;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && time.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Token;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (_cached is { } fresh && now < fresh.RefreshAt)
            {
                return fresh.Token; // another connection refreshed it while this one waited
            }

            var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
            var lifetime = token.ExpiresOn - now;
            _cached = new Cached(token.Token, token.ExpiresOn - (lifetime > RefreshMargin * 2 ? RefreshMargin : lifetime / 2));
            return token.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Cached(string Token, DateTimeOffset RefreshAt);
}
