using ReportingSync.Dataverse;

namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>Hands out "Bearer token-N", a new N after each Invalidate.</summary>
internal sealed class CountingTokenProvider : IAccessTokenProvider
{
    private int _generation = 1;

    public int Invalidations { get; private set; }

    public ValueTask<string?> GetAuthorizationAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>($"Bearer token-{_generation}");

    public void Invalidate()
    {
        Invalidations++;
        _generation++;
    }
}
