using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>Everything one page commit writes: data, deletes and the state change that describes the result.</summary>
public sealed record PageCommit
{
    public required TableLayout Layout { get; init; }

    /// <summary>Table to write; null means the live table (<see cref="TableLayout.TableName"/>).</summary>
    public string? TableName { get; init; }

    public required RowBatch Upserts { get; init; }
    public IReadOnlyList<Guid> Deletes { get; init; } = [];

    /// <summary>
    /// Ids whose stored row is removed outright (no DeleteLog, soft deletes or not) before this page's rows are written,
    /// so an upsert replaces it whatever its versionnumber: a repair of a row the table holds at a version ahead of the
    /// source, or hides as deleted while the source has it.
    /// </summary>
    public IReadOnlyList<Guid> Replace { get; init; } = [];
    public WriteMode Mode { get; init; } = WriteMode.Upsert;

    /// <summary>
    /// Start the table over: delete every row of it after the compare-and-set, before this page's rows. For a seed whose
    /// saved link was refused and that reads again from a new start: a row copied before and deleted at the source
    /// before the new read began would otherwise stay, since no delta after the new token reports it.
    /// </summary>
    public bool ClearTable { get; init; }

    /// <summary>The state row before and after this page (its cursor is the page's next cursor), fenced by the lease.</summary>
    public required StateChange Change { get; init; }

    public string EffectiveTableName => TableName ?? Layout.TableName;
}
