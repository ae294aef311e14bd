using ReportingSync.Target;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>
/// Settings of reconciliation (section <c>ReportingSync:Reconciliation</c>), used by the <c>reconcile</c> command and
/// by the scheduled reconciliation in the worker. Validated at start-up (<see cref="ReconciliationOptionsValidator"/>).
/// </summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "ReportingSync:Reconciliation";

    /// <summary>Whether the worker reconciles on a schedule. Default true (fast mode, report only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between scheduled runs of an entity, counted from its last run's start. Default 1 day.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Optional off-peak window (UTC) in which scheduled runs may start, as <c>HH:mm-HH:mm</c>; it may wrap midnight
    /// (<c>22:00-05:00</c>). Empty: any time. The CLI ignores it.
    /// </summary>
    public string? Window { get; set; }

    /// <summary>Scheduled runs repair what they find. Default false: they report, a person decides.</summary>
    public bool Repair { get; set; }

    /// <summary>Scheduled runs also compare columns on a sample (<see cref="DeepSamplePercent"/>). Default false.</summary>
    public bool Deep { get; set; }

    /// <summary>
    /// Share of rows deep mode compares column by column, in percent (0 &lt; p ≤ 100). Default 100 for <c>--deep</c>
    /// without <c>--sample</c> (a person asked for it); a scheduled deep run should set a small sample, e.g. 1.
    /// </summary>
    public double DeepSamplePercent { get; set; } = 100;

    /// <summary>Key-range partitions read from the source at once (under the client's shared limiter). Default 4.</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>Findings stored per run (counts are always exact). Default 1,000.</summary>
    public int MaxFindings { get; set; } = 1_000;

    /// <summary>Differences re-checked against source and target (and repaired) per run. Default 10,000.</summary>
    public int MaxRecheck { get; set; } = 10_000;

    /// <summary>
    /// How long to wait for a running worker to finish two delta cycles before the last re-check, so rows changing in
    /// the source during the check are not reported. Default 1 minute.
    /// </summary>
    public TimeSpan SettleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The parsed <see cref="Window"/>, or null when there is none (call after validation).</summary>
    public (TimeOnly From, TimeOnly To)? ParsedWindow => TryParseWindow(Window, out var window) ? window : null;

    public static bool TryParseWindow(string? text, out (TimeOnly From, TimeOnly To)? window)
    {
        window = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var from)
            && TimeOnly.TryParseExact(parts[1], "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var to)
            && from != to)
        {
            window = (from, to);
            return true;
        }

        return false;
    }

    /// <summary>Whether <paramref name="utc"/> falls in the window (always, without one).</summary>
    public bool InWindow(DateTime utc)
    {
        if (ParsedWindow is not { } w)
        {
            return true;
        }

        var now = TimeOnly.FromDateTime(utc);
        return w.From < w.To ? now >= w.From && now < w.To : now >= w.From || now < w.To;
    }
}
