namespace ReportingSync.Bench;

/// <summary>One line of the results table (and of <c>latest.json</c>). Figures that do not apply stay null.</summary>
internal sealed record BenchResult
{
    public required string Scenario { get; init; }

    public required string Variant { get; init; }

    public long? Rows { get; init; }

    public double? Seconds { get; init; }

    public double? RowsPerSecond => Rows is { } rows && Seconds is > 0 ? rows / Seconds.Value : null;

    /// <summary>Ours divided by the comparison named in <see cref="Notes"/> (rows/s over rows/s).</summary>
    public double? Ratio { get; init; }

    public double? PeakRssMb { get; init; }

    /// <summary>CPU time (user + system) of the worker process the line measured, from <c>/proc</c>.</summary>
    public double? CpuSeconds { get; init; }

    public long? Requests { get; init; }

    /// <summary>1-minute load average when the figure was taken (2 cores shared with other work).</summary>
    public required double LoadAverage { get; init; }

    public string? Notes { get; init; }
}

/// <summary>A target from the issue, checked by the summary line (never asserted in CI).</summary>
internal sealed record TargetCheck(string Target, double? Measured, string Unit, double Threshold, bool AtLeast)
{
    public string Verdict => Measured is not { } value || double.IsNaN(value)
        ? "NOT MEASURED"
        : (AtLeast ? value >= Threshold : value <= Threshold) ? "PASS" : "FALL SHORT";
}
