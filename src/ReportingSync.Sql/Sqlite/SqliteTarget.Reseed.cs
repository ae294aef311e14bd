using Microsoft.Data.Sqlite;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>Re-seeds: the shadow table (<see cref="TableLayout.ShadowTableName"/>) and its swap with the live table.</summary>
internal sealed partial class SqliteTarget
{
    public Task CreateShadowTableAsync(TableLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var shadow = CheckTable(layout.ShadowTableName, layout);
        return WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, transaction, SqliteSchemaWriter.DropTable(shadow, layout.EntityName));
            Execute(connection, transaction, SqliteSchemaWriter.CreateTable(layout, shadow));
            transaction.Commit();
            _logger.ShadowCreated(shadow, layout.Columns.Count);
            return 0;
        }, cancellationToken);
    }

    public Task DropShadowTableAsync(TableLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var shadow = CheckTable(layout.ShadowTableName, layout);
        return WriteAsync(connection =>
        {
            Execute(connection, null, SqliteSchemaWriter.DropTable(shadow, layout.EntityName));
            _logger.ShadowDropped(shadow);
            return 0;
        }, cancellationToken);
    }

    /// <summary>
    /// In the writer's transaction: compare-and-set the state (fenced by <paramref name="state"/>'s lease owner when it
    /// has one), drop the label view and the live table, rename the shadow table to the live name, recreate the view.
    /// Readers (WAL) keep reading their snapshot until the commit, then see the new table. The rename runs with
    /// <c>legacy_alter_table</c> on: since SQLite 3.26 a rename otherwise rewrites (and first checks) every view and
    /// trigger naming either table, which would fail on an analyst's view of the live table while it is briefly gone,
    /// and would repoint such views at the renamed table; with it on, views keep naming the live table and read the new one.
    /// </summary>
    public Task SwapShadowTableAsync(
        TableLayout layout, EntityState state, SyncCursor? expectedCursor, SyncCursor? expectedShadowCursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(state);
        var live = CheckTable(layout.TableName, layout);
        var shadow = CheckTable(layout.ShadowTableName, layout);
        return WriteAsync(connection =>
        {
            var now = _time.GetUtcNow().UtcDateTime;
            using var transaction = connection.BeginTransaction(deferred: false);
            if (!_state.CompareAndSet(connection, transaction, expectedCursor, expectedShadowCursor, state.LeaseOwner, now, state))
            {
                transaction.Rollback();
                throw Conflict(connection, state.EntityName, state.LeaseOwner, now);
            }

            if (Columns(connection, transaction, shadow) is null)
            {
                throw new InvalidOperationException($"The shadow table '{shadow}' does not exist; nothing was swapped.");
            }

            Execute(connection, transaction, SqliteSchemaWriter.DropLabelView(layout));
            Execute(connection, transaction, SqliteSchemaWriter.DropTable(live, layout.EntityName));
            Execute(connection, transaction, "PRAGMA legacy_alter_table = ON;");
            try
            {
                Execute(connection, transaction, SqliteSchemaWriter.RenameTable(shadow, live, layout.EntityName));
            }
            finally
            {
                Execute(connection, transaction, "PRAGMA legacy_alter_table = OFF;");
            }

            RefreshLabelView(connection, transaction, layout, labels: null);
            transaction.Commit();
            _logger.ShadowSwapped(shadow, live);
            return 0;
        }, cancellationToken);
    }
}
