namespace ReportingSync.Target;

/// <summary>One reconciliation of one entity (a row of <c>reportingsync.ReconciliationRun</c>).</summary>
public sealed record ReconciliationRun
{
    /// <summary>Assigned by the target when the run is started; 0 before.</summary>
    public long Id { get; init; }

    public required string EntityName { get; init; }
    public DateTime StartedUtc { get; init; }
    public DateTime? FinishedUtc { get; init; }

    /// <summary>Distinct ids the source returned.</summary>
    public long SourceRows { get; init; }

    /// <summary>Rows in the target table (soft-deleted rows not counted).</summary>
    public long TargetRows { get; init; }

    public long Missing { get; init; }
    public long Extra { get; init; }
    public long Stale { get; init; }

    /// <summary>Rows with a column-level difference (deep mode only).</summary>
    public long ColumnDiffs { get; init; }

    /// <summary>Differences fixed by <c>--repair</c>.</summary>
    public long Repaired { get; init; }

    public ReconciliationStatus Status { get; init; } = ReconciliationStatus.Running;

    /// <summary>Mode and remarks (sample size, findings cut at the cap, suspects not re-checked, the error).</summary>
    public string? Detail { get; init; }

    public long Differences => Missing + Extra + Stale + ColumnDiffs;
}
