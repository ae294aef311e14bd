using System.Data.Common;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// DDL on a live entity table that keeps what analysts and DBAs built on it: views (and views on views, and views on the
/// label view) that the DDL would break are dropped and created again around it, with their owner, grants and
/// comments, inside the DDL's transaction; an object that cannot be kept stops the DDL before anything runs.
/// </summary>
internal sealed partial class SqlTarget
{
    /// <summary>
    /// What <paramref name="alterations"/> (none: a refresh of the label view) would break, as the dialect reads it from the
    /// catalog in this transaction; throws <see cref="DependentObjectsException"/> naming what cannot be kept.
    /// </summary>
    private async Task<Dependents> KeepableDependentsAsync(SqlSession session, TableLayout layout, IReadOnlyList<ColumnAlteration> alterations, CancellationToken ct)
    {
        var dependents = await _dialect.DependentsAsync(session, layout, alterations, ct).ConfigureAwait(false);
        return dependents.Blockers.Count > 0 ? throw new DependentObjectsException(layout.TableName, dependents.Blockers) : dependents;
    }

    /// <summary>
    /// In the caller's transaction: drops <paramref name="dependents"/> (the last-built first) and the label view, runs
    /// <paramref name="ddl"/>, then <paramref name="afterDdl"/> (a swap applies the shadow's rows there, so a materialized
    /// view is filled from them), creates the label view again with its grants and comments, and then the dependents as
    /// they were. One that fails to come back (a view that no longer fits the new column types) throws
    /// <see cref="DependentObjectsException"/> naming it; the caller's transaction then rolls back, changing nothing.
    /// </summary>
    private async Task ChangeTableAsync(
        SqlSession session, TableLayout layout, Dependents dependents, IReadOnlyList<string> ddl, IReadOnlyList<LabelColumn>? labels, Func<Task>? afterDdl, CancellationToken ct)
    {
        foreach (var dependent in dependents.Objects.Reverse())
        {
            foreach (var statement in dependent.Drop)
            {
                await statement.ExecuteAsync(session, ct).ConfigureAwait(false);
            }
        }

        if (LabelViewName(layout) is not null)
        {
            await session.ExecuteAsync(_ddl.DropLabelView(layout), ct).ConfigureAwait(false);
        }

        foreach (var statement in ddl)
        {
            await session.ExecuteAsync(statement, ct).ConfigureAwait(false);
        }

        if (afterDdl is not null)
        {
            await afterDdl().ConfigureAwait(false);
        }

        if (await CreateLabelViewAsync(session, layout, labels, ct).ConfigureAwait(false))
        {
            await RecreateAsync(session, layout, $"view {LabelViewName(layout)} (its grants and comments)", dependents.LabelView, ct).ConfigureAwait(false);
        }

        foreach (var dependent in dependents.Objects)
        {
            await RecreateAsync(session, layout, dependent.Name, dependent.Recreate, ct).ConfigureAwait(false);
        }

        var kept = dependents.Objects.Count + (dependents.LabelView.Count > 0 ? 1 : 0);
        if (kept > 0)
        {
            _logger.DependentsKept(layout.TableName, kept, string.Join(", ", dependents.Objects.Select(d => d.Name)));
        }
    }

    /// <summary>Runs the statements that create <paramref name="name"/> again; a refusal names it (a transient failure stays one).</summary>
    private async Task RecreateAsync(SqlSession session, TableLayout layout, string name, IReadOnlyList<SqlStatement> statements, CancellationToken ct)
    {
        foreach (var statement in statements)
        {
            try
            {
                await statement.ExecuteAsync(session, ct).ConfigureAwait(false);
            }
            catch (DbException ex) when (_dialect.Translate(ex) is not { IsTransient: true })
            {
                // Anything but a lost connection (a view that no longer fits the new types, a privilege the worker lacks
                // to put a grant back) means the object cannot be kept: the change waits rather than fails.
                throw new DependentObjectsException(layout.TableName,
                [
                    new BlockingObject(name, $"it could not be created again after the change ({ex.Message}).",
                        "Change it so it works with the table's new columns, or drop it; the change then goes ahead and it can be created again afterwards."),
                ]);
            }
        }
    }
}
