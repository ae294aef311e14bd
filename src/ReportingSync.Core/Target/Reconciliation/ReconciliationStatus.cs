namespace ReportingSync.Target;

/// <summary>Outcome of a reconciliation run, as stored in <c>ReconciliationRun.Status</c>.</summary>
public enum ReconciliationStatus
{
    /// <summary>Started and not finished (or the process died while it ran).</summary>
    Running,

    /// <summary>The replica equals the source.</summary>
    Clean,

    /// <summary>Differences were found and left as they are.</summary>
    Differences,

    /// <summary>Differences were found and every one was repaired.</summary>
    Repaired,

    /// <summary>The run could not complete; <see cref="ReconciliationRun.Detail"/> says why.</summary>
    Failed,
}
