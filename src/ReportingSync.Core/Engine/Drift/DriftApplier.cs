using ReportingSync.Target;

namespace ReportingSync.Engine.Drift;

/// <summary>What applying a plan left to do.</summary>
public enum DriftOutcome
{
    /// <summary>Nothing to do, or the DDL is done and the table is complete.</summary>
    Done,

    /// <summary>The DDL is done, but existing rows must be re-read (new columns) or the table rebuilt (type change).</summary>
    NeedsReseed,
}

/// <summary>
/// Applies a drift plan: refuses failing plans loudly, runs the in-place DDL (add, widen, drop) in one target
/// transaction, and records every step as a SchemaChange row (when, which column, what changed in the source, what was
/// done) so analysts can see when their table changed and why. The step also goes to the sync history, where it sits in
/// line with the seeds and re-seeds it causes.
/// </summary>
public static class DriftApplier
{
    public static async Task<DriftOutcome> ApplyAsync(ITableStore tables, ISyncStateStore states, DriftPlan plan, DateTime utcNow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Fails)
        {
            var reasons = string.Join("; ", plan.Steps.Where(s => s.Action == DriftAction.Fail).Select(s => s.ToString()));
            await RecordAsync(states, plan, utcNow, plan.Steps.Where(s => s.Action == DriftAction.Fail), cancellationToken).ConfigureAwait(false);
            throw new SchemaDriftException(plan.EntityName, reasons);
        }

        if (!plan.ChangesTable)
        {
            return DriftOutcome.Done;
        }

        var changes = plan.ColumnChanges;
        if (changes.Count > 0)
        {
            await tables.AlterTableAsync(plan.Layout, changes, cancellationToken).ConfigureAwait(false);
        }

        await RecordAsync(states, plan, utcNow, plan.Steps, cancellationToken).ConfigureAwait(false);
        return plan.NeedsRebuild || plan.NeedsBackfill ? DriftOutcome.NeedsReseed : DriftOutcome.Done;
    }

    private static async Task RecordAsync(ISyncStateStore target, DriftPlan plan, DateTime utcNow, IEnumerable<DriftStep> steps, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            var detail = step.ToString();
            await target.AppendSchemaChangeAsync(
                new SchemaChangeEntry(plan.EntityName, utcNow, step.ColumnName, step.DescribeChange(), step.Action, detail), cancellationToken).ConfigureAwait(false);
            await target.AppendHistoryAsync(new SyncHistoryEntry(plan.EntityName, utcNow, "SchemaChange", detail), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>A schema change the policies say must stop the entity.</summary>
public sealed class SchemaDriftException(string entity, string reasons)
    : Exception($"The schema of '{entity}' changed in a way the drift policy does not allow: {reasons}.")
{
    public string Entity { get; } = entity;
}
