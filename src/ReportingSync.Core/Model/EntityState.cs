namespace ReportingSync.Model;

/// <summary>
/// One entity's persisted sync state (a row of <c>reportingsync.EntityState</c>). It always describes exactly the data
/// that is in the target, because it is written in the same transaction as each page. Every change of it is a fenced
/// compare-and-set from one <see cref="Revision"/> to the next (see <c>Target.StateChange</c>).
/// </summary>
public sealed record EntityState
{
    public required string EntityName { get; init; }

    /// <summary>
    /// Raised by one with every stored change of the row (page, failure, re-seed step): the compare-and-set compares it,
    /// so a writer that read an older row (another replica, a double run, a repair) changes nothing.
    /// </summary>
    public long Revision { get; init; }
    public EntityStatus Status { get; init; } = EntityStatus.New;

    /// <summary>The cursor to read next; null before the first page of a seed has been committed, and during a parallel seed.</summary>
    public SyncCursor? Cursor { get; init; }

    /// <summary>A parallel seed in progress (its key ranges and token), or null.</summary>
    public ParallelSeedProgress? ParallelSeed { get; init; }

    /// <summary>Status to return to after <see cref="EntityStatus.Failed"/> is cleared (the status the failure interrupted).</summary>
    public EntityStatus? ResumeStatus { get; init; }

    /// <summary>Fingerprint of the <see cref="TableLayout"/> the live table was built from.</summary>
    public string? LayoutFingerprint { get; init; }

    public long SeedRowsCopied { get; init; }
    public long? SeedRowsEstimated { get; init; }
    public DateTime? SeedStartedUtc { get; init; }
    public DateTime? SeedCompletedUtc { get; init; }

    public long RowsUpserted { get; init; }
    public long RowsDeleted { get; init; }
    public long Pages { get; init; }

    /// <summary>When the last delta cycle completed (the read reached a delta link).</summary>
    public DateTime? LastSyncUtc { get; init; }

    /// <summary>Latest <c>modifiedon</c> committed for this entity.</summary>
    public DateTime? LastSourceChangeUtc { get; init; }

    public string? LastError { get; init; }
    public DateTime? LastErrorUtc { get; init; }
    public int ConsecutiveFailures { get; init; }

    /// <summary>Seconds between the newest committed change's modifiedon and its commit (for status displays).</summary>
    public double? LastLagSeconds { get; init; }

    /// <summary>Cursor of the re-seed read into the shadow table (<see cref="TableLayout.ShadowTableName"/>).</summary>
    public SyncCursor? ShadowCursor { get; init; }

    /// <summary>Fingerprint of the layout the shadow table was created from; a different layout restarts the re-seed.</summary>
    public string? ShadowLayoutFingerprint { get; init; }

    /// <summary>
    /// Why the entity is re-seeding: <c>Command</c>, <c>TokenExpired</c>, <c>CursorRejected</c>, <c>OrganizationChanged</c>.
    /// With the last three the live cursor is unusable, so the live table waits for the swap.
    /// </summary>
    public string? ReseedReason { get; init; }

    public DateTime? ReseedStartedUtc { get; init; }

    /// <summary>
    /// The re-seed's swap waits for objects built on the live table that it could not keep (see <see cref="ReseedBlock"/>);
    /// null while nothing blocks it.
    /// </summary>
    public ReseedBlock? ReseedBlocked { get; init; }

    /// <summary>The replica working on the entity, as last read (leases are written only by lease operations and fenced commits).</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the lease ends, by the database's clock.</summary>
    public DateTime? LeaseExpiresUtc { get; init; }

    public DateTime UpdatedUtc { get; init; }

    /// <summary>
    /// The Dataverse organisation (WhoAmI's OrganizationId) whose rows the table holds and whose links the cursors are;
    /// null until the first cycle of a version that records it.
    /// </summary>
    public Guid? OrganizationId { get; init; }
}
