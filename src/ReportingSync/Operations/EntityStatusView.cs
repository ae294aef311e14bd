using ReportingSync.Model;

namespace ReportingSync.Operations;

/// <summary>One entity as <c>/status</c> shows it (and the status page draws it). Nothing here may carry a secret.</summary>
internal sealed record EntityStatusView
{
    public required string Entity { get; init; }

    /// <summary>New, Seeding, Streaming, Reseeding, Failed; NotStarted when no state row exists yet.</summary>
    public required string Status { get; init; }

    /// <summary>Whether this worker's configuration lists the entity (other replicas may run others).</summary>
    public bool Configured { get; init; }

    /// <summary>Rows in the target table (counted at most every RowCountRefresh), null until counted.</summary>
    public long? Rows { get; init; }

    public long SeedRowsCopied { get; init; }

    /// <summary>The source's row-count estimate while seeding (Dataverse refreshes it about daily, so it is approximate).</summary>
    public long? SeedRowsEstimated { get; init; }

    /// <summary>0–100 while seeding when an estimate exists; 100 once seeded; null otherwise.</summary>
    public double? SeedPercent { get; init; }

    public DateTime? SeedCompletedUtc { get; init; }
    public DateTime? LastSyncUtc { get; init; }

    /// <summary>Staleness: seconds since the last completed read of any replica (the <c>reportingsync.staleness</c> gauge).</summary>
    public double? StalenessSeconds { get; init; }

    /// <summary>
    /// Seconds between delta reads of the entity now, on the replica that reads it: shorter after changes, doubling
    /// while nothing changes, up to the maximum. Null when no running replica reads it (not started, lease free).
    /// </summary>
    public double? PollIntervalSeconds { get; init; }

    /// <summary>
    /// Lag: seconds from the source <c>modifiedon</c> of the oldest change in the entity's last committed page to its
    /// commit (any replica, from the state row); 0 when the last read found nothing new.
    /// </summary>
    public double? LagSeconds { get; init; }

    /// <summary>Largest lag per 10-second bucket over the last hour, oldest first; null where nothing was committed.</summary>
    public IReadOnlyList<double?> LagHistory { get; init; } = [];

    public DateTime? LastSourceChangeUtc { get; init; }
    public string? LastError { get; init; }

    /// <summary>The objects a re-seed's swap waits for (it could not keep them), with what to do; empty when it does not wait.</summary>
    public IReadOnlyList<BlockingObject> ReseedBlockedBy { get; init; } = [];

    /// <summary>Since when the re-seed's swap waits.</summary>
    public DateTime? ReseedBlockedUtc { get; init; }

    public DateTime? LastErrorUtc { get; init; }
    public int ConsecutiveFailures { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTime? LeaseExpiresUtc { get; init; }
}
