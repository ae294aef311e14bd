namespace ReportingSync.Dataverse;

/// <summary>Supplies the Authorization header value for Dataverse requests.</summary>
internal interface IAccessTokenProvider
{
    /// <summary>"Bearer ..." or null when requests go without credentials (loopback only).</summary>
    ValueTask<string?> GetAuthorizationAsync(CancellationToken cancellationToken);

    /// <summary>Drops a cached token after Dataverse answered 401, so the next request fetches a fresh one.</summary>
    void Invalidate();
}
