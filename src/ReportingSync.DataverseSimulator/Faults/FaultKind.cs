namespace ReportingSync.DataverseSimulator.Faults;

/// <summary>What an injected fault does to a request.</summary>
internal enum FaultKind
{
    /// <summary>HTTP 500 with a Dataverse error body.</summary>
    InternalServerError,

    /// <summary>HTTP 502 with a Dataverse error body.</summary>
    BadGateway,

    /// <summary>HTTP 503 with a Dataverse error body.</summary>
    ServiceUnavailable,

    /// <summary>Headers and part of the real body, then the connection is aborted.</summary>
    ConnectionReset,

    /// <summary>Part of the real body, then the response completes normally: invalid JSON.</summary>
    TruncatedJson,

    /// <summary>The real response after <see cref="FaultRule.Delay"/>.</summary>
    SlowResponse,

    /// <summary>HTTP 429 with <see cref="FaultRule.RetryAfter"/>.</summary>
    TooManyRequests,

    /// <summary>HTTP 400 0x80044352 (expired version stamp).</summary>
    ExpiredToken,

    /// <summary>HTTP 400 0x80040203, as when a paging cookie is rejected.</summary>
    NextLinkBadRequest,

    /// <summary>
    /// HTTP 500 whose body carries 0x80044352 (expired version stamp): the expiry has been seen arriving with a server
    /// error status, and a client that only looks at the status retries it forever instead of re-seeding.
    /// </summary>
    ExpiredTokenServerError,
}
