namespace ReportingSync.DataverseSimulator.Hosting;

/// <summary>
/// Service-protection limits per user (the Authorization header value; one anonymous user without it). Null limits
/// are off. The real service allows 6000 requests per 300 s sliding window and 52 concurrent requests.
/// </summary>
internal sealed class ServiceProtectionOptions
{
    /// <summary>Requests allowed per <see cref="Window"/>; null for no limit. Default null.</summary>
    public int? RequestsPerWindow { get; set; }

    /// <summary>The sliding window. Default 300 s.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Concurrent requests allowed; null for no limit. Default null.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>Retry-After sent when the concurrency limit is hit. Default 1 s.</summary>
    public TimeSpan ConcurrencyRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Lengthen Retry-After under sustained pressure: each further 429 within the window adds this much.
    /// Default zero (off), so Retry-After is exactly the time until the window admits the request.
    /// </summary>
    public TimeSpan PressurePenalty { get; set; } = TimeSpan.Zero;

    public ServiceProtectionOptions Clone() => (ServiceProtectionOptions)MemberwiseClone();
}
