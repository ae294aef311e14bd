using System.Text.RegularExpressions;

namespace ReportingSync.DataverseSimulator.Faults;

/// <summary>
/// A fault to inject into matching requests: those whose raw target matches <see cref="PathPattern"/> (a regex; null
/// matches all Web API requests) and are in <see cref="Scope"/>. It fires on the next <see cref="Count"/> matching
/// requests when set, otherwise on each with <see cref="Probability"/> (seeded randomness).
/// </summary>
internal sealed record FaultRule
{
    public required FaultKind Kind { get; init; }

    public string? PathPattern { get; init; }

    public FaultScope Scope { get; init; } = FaultScope.Any;

    public double Probability { get; init; } = 1.0;

    /// <summary>Fire on the next N matching requests only; null for no limit.</summary>
    public int? Count { get; init; }

    /// <summary>Delay for <see cref="FaultKind.SlowResponse"/>. Default 2 s.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Retry-After for <see cref="FaultKind.TooManyRequests"/>. Default 5 s.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Share of the body sent before a reset or truncation. Default 0.5.</summary>
    public double BodyFraction { get; init; } = 0.5;

    internal Regex? Regex => PathPattern is null ? null : _regex ??= new Regex(PathPattern, RegexOptions.CultureInvariant);

    private Regex? _regex;
}
