namespace ReportingSync.DataverseSimulator.Requests;

/// <summary>Per-request facts the handlers fill in for the log (stored in HttpContext.Features).</summary>
internal sealed class RequestContext
{
    public required RequestKind Kind { get; init; }

    public required bool IsNextLink { get; init; }

    public required string? EntitySet { get; init; }

    public required DateTimeOffset ArrivedAt { get; init; }

    public required string RawTarget { get; init; }

    public int RowsReturned { get; set; }

    public TimeSpan? RetryAfter { get; set; }

    public string? Fault { get; set; }
}
