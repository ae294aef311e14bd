namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>Body of <c>PUT /admin/limits</c>; null members turn a limit off (window and retry-after keep their values).</summary>
internal sealed record LimitsRequest(
    int? RequestsPerWindow,
    double? WindowSeconds,
    int? MaxConcurrency,
    double? ConcurrencyRetryAfterSeconds,
    double? PressurePenaltySeconds);
