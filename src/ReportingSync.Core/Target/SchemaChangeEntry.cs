namespace ReportingSync.Target;

/// <summary>
/// A row of <c>reportingsync.SchemaChange</c>: one drift step for one column of an entity's table, kept apart from
/// <see cref="SyncHistoryEntry"/> so analysts can query when their table changed, what changed and what was done.
/// </summary>
/// <param name="ChangedUtc">When the drift was applied (or refused).</param>
/// <param name="Change">What changed in the source, e.g. <c>new attribute string(120)</c>, <c>MaxLength 100 → 400</c>.</param>
/// <param name="Action">What the replicator did about it.</param>
/// <param name="Detail">The whole step as logged, policy and reason included.</param>
public sealed record SchemaChangeEntry(string EntityName, DateTime ChangedUtc, string ColumnName, string Change, DriftAction Action, string? Detail = null);
