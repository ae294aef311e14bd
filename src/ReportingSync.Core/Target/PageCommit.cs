using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>Everything one page commit writes: data, deletes and the state row that describes the result.</summary>
public sealed record PageCommit
{
    public required TableLayout Layout { get; init; }

    /// <summary>Table to write; null means the live table (<see cref="TableLayout.TableName"/>).</summary>
    public string? TableName { get; init; }

    public required RowBatch Upserts { get; init; }
    public IReadOnlyList<Guid> Deletes { get; init; } = [];
    public WriteMode Mode { get; init; } = WriteMode.Upsert;

    /// <summary>
    /// Start the table over: delete every row of it after the compare-and-set, before this page's rows. For a seed whose
    /// saved link was refused and that reads again from a new start: a row copied before and deleted at the source
    /// before the new read began would otherwise stay, since no delta after the new token reports it.
    /// </summary>
    public bool ClearTable { get; init; }

    /// <summary>The cursor the state row must hold for this commit to apply (compare-and-set).</summary>
    public SyncCursor? ExpectedCursor { get; init; }

    /// <summary>The shadow cursor the state row must hold as well (re-seeds); compared like <see cref="ExpectedCursor"/>.</summary>
    public SyncCursor? ExpectedShadowCursor { get; init; }

    /// <summary>
    /// Fencing: when set, the commit applies only if the stored lease owner is this owner. Expiry only decides who may
    /// take a lease; taking it changes the owner atomically, so a worker whose lease was taken can never write, while
    /// one whose lease merely ran out during a long read (nobody took it) commits and renews it.
    /// </summary>
    public string? LeaseOwner { get; init; }

    /// <summary>The state row after this page (its cursor is the page's next cursor).</summary>
    public required EntityState State { get; init; }

    public string EffectiveTableName => TableName ?? Layout.TableName;
}
