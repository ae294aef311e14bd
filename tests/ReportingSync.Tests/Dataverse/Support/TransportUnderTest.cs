using Microsoft.Extensions.Logging.Abstractions;
using ReportingSync.Dataverse;

namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>Builds the internal transport directly, for tests that need their own token provider or an unresolvable host.</summary>
internal static class TransportUnderTest
{
    public static DataverseTransport Create(string url, IAccessTokenProvider tokens, Action<DataverseOptions>? configure = null)
    {
        var options = new DataverseOptions
        {
            Url = url,
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        var gate = new ServiceProtectionGate(options.MaxConcurrency, options.RetryBaseDelay, options.RetryMaxDelay, TimeProvider.System);
        var budget = new RequestBudget(options.RequestBudgetPerSecond);
        var recent = new RecentRequests(TimeProvider.System);
        return new DataverseTransport(
            options, DataverseHttp.CreateHandler(options), tokens, gate, budget, recent, new DataverseMetrics(null, gate, budget, recent), TimeProvider.System,
            NullLogger.Instance);
    }
}
