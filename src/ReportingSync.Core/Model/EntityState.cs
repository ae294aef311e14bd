namespace ReportingSync.Model;

/// <summary>
/// One entity's persisted sync state (a row of <c>reportingsync.EntityState</c>). It always describes exactly the data
/// that is in the target, because it is written in the same transaction as each page.
/// </summary>
public sealed record EntityState
{
    public required string EntityName { get; init; }
    public EntityStatus Status { get; init; } = EntityStatus.New;

    /// <summary>The cursor to read next; null before the first page of a seed has been committed.</summary>
    public SyncCursor? Cursor { get; init; }

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

    /// <summary>Why the entity is re-seeding: <c>Command</c>, <c>TokenExpired</c>, <c>SchemaChange</c>, <c>CursorRejected</c>.</summary>
    public string? ReseedReason { get; init; }

    public DateTime? ReseedStartedUtc { get; init; }

    public string? LeaseOwner { get; init; }
    public DateTime? LeaseExpiresUtc { get; init; }

    public DateTime UpdatedUtc { get; init; }
}
