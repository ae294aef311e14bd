namespace ReportingSync.DataverseSimulator.Requests;

/// <summary>
/// One request as the simulator saw it. <see cref="RawTarget"/> is the path and query exactly as received on the
/// wire, so tests can check links were followed byte for byte. The Authorization value is never kept.
/// </summary>
internal sealed record RequestLogEntry
{
    public required long Sequence { get; init; }

    /// <summary>Arrival time on the simulator clock.</summary>
    public required DateTimeOffset ArrivedAt { get; init; }

    public required string Method { get; init; }

    public required string RawTarget { get; init; }

    public string? Prefer { get; init; }

    public bool HasAuthorization { get; init; }

    public required RequestKind Kind { get; init; }

    public bool IsNextLink { get; init; }

    /// <summary>Entity set name for data requests; table logical name for metadata requests about one table.</summary>
    public string? EntitySet { get; init; }

    public int StatusCode { get; init; }

    /// <summary>Rows (and delete entries) in the response body.</summary>
    public int RowsReturned { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The fault injected into this request, if any.</summary>
    public string? Fault { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>When the response was finished, on the simulator clock (a Retry-After counts from here).</summary>
    public DateTimeOffset CompletedAt { get; init; }
}
