namespace ReportingSync.Dataverse;

/// <summary>An answer worth retrying (HTTP 408, 500, 502, 503, 504, or 401 after dropping the cached token).</summary>
internal sealed class TransientHttpException(int statusCode, string description, TimeSpan? retryAfter)
    : Exception(description)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>A server-suggested delay (Retry-After on a 503), used instead of the computed back-off.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
