using ReportingSync.DataverseSimulator.Faults;

namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>Body of <c>POST /admin/faults</c>.</summary>
internal sealed record FaultRequest(
    FaultKind Kind,
    string? PathPattern,
    FaultScope? Scope,
    double? Probability,
    int? Count,
    double? DelayMs,
    double? RetryAfterSeconds,
    double? BodyFraction)
{
    public FaultRule ToRule()
    {
        var rule = new FaultRule
        {
            Kind = Kind,
            PathPattern = PathPattern,
            Scope = Scope ?? FaultScope.Any,
            Probability = Probability ?? 1.0,
            Count = Count,
        };
        return rule with
        {
            Delay = DelayMs is { } delay ? TimeSpan.FromMilliseconds(delay) : rule.Delay,
            RetryAfter = RetryAfterSeconds is { } retry ? TimeSpan.FromSeconds(retry) : rule.RetryAfter,
            BodyFraction = BodyFraction ?? rule.BodyFraction,
        };
    }
}
