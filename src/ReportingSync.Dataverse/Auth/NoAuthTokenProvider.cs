namespace ReportingSync.Dataverse;

/// <summary>For <see cref="DataverseAuthMode.None"/>: the simulator on loopback needs no credentials.</summary>
internal sealed class NoAuthTokenProvider : IAccessTokenProvider
{
    public static NoAuthTokenProvider Instance { get; } = new();

    public ValueTask<string?> GetAuthorizationAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public void Invalidate()
    {
    }
}
