using System.Data.Common;
using Microsoft.Data.Sqlite;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>SQLite on a connection: immediate transactions, pragma_table_info, prepared row writes, JSON id lists, the type-change swap, the key stage.</summary>
internal sealed partial class SqliteDialect
{
    /// <summary>
    /// BEGIN IMMEDIATE takes the file's write lock up front, so another process waits (busy_timeout) at the start rather
    /// than failing halfway when a read lock cannot be upgraded. Every write runs on the single writer connection, so
    /// there is no DDL lock to take.
    /// </summary>
    protected override Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override async Task<IReadOnlyList<TargetColumn>?> ColumnsAsync(SqlSession session, string qualified, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT name, type FROM pragma_table_info(@table) ORDER BY cid;", Parameter("@table", ColumnStorageType.String, name));
        var columns = await SqlSession.ReadAllAsync(command, r =>
        {
            var type = r.GetString(1);
            var (storage, maxLength, precision) = ParseType(type);
            return new TargetColumn(r.GetString(0), storage, maxLength, precision, type);
        }, cancellationToken).ConfigureAwait(false);
        return columns.Count == 0 ? null : columns;
    }

    public override Task EnsureSchemasAsync(SqlSession session, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Plain prepared INSERTs; the writer's savepoint takes its rows back when an id already exists (null).</summary>
    public override Task<long?> TryBulkLoadAsync(
        SqlSession session, TableLayout layout, string table, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            SqliteLoadSettings.ForBulkLoad((SqliteConnection)session.Connection, (SqliteTransaction)session.Transaction!);
            using var insert = SqliteBulkWriter.Begin(session, new EntitySql(this).Insert(layout, qualified), layout, table, now);
            insert.Write(rows, cancellationToken);
            return Task.FromResult<long?>(insert.Complete());
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteErrors.PrimaryKeyViolation)
        {
            return Task.FromResult<long?>(null);
        }
    }

    /// <summary>The guarded upsert, prepared once and run per row (no round trips, one journal write at commit).</summary>
    public override Task<long> UpsertRowsAsync(
        SqlSession session, TableLayout layout, string table, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken cancellationToken)
    {
        SqliteLoadSettings.ForStreaming((SqliteConnection)session.Connection, (SqliteTransaction)session.Transaction!);
        using var upsert = SqliteBulkWriter.Begin(session, new EntitySql(this).Upsert(layout, qualified, stage: null), layout, table, now);
        upsert.Write(rows, cancellationToken);
        return Task.FromResult(upsert.Complete());
    }

    /// <summary>A JSON array parameter read by <c>json_each</c>: one statement for any number of ids.</summary>
    public override Task<IdList> StageIdsAsync(SqlSession session, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        // Guid "D" text has nothing to escape.
        var json = "[" + string.Join(",", ids.Select(id => "\"" + id.ToString("D") + "\"")) + "]";
        return Task.FromResult(new IdList(
            "IN (SELECT value FROM json_each(@ids))", "json_each(@ids) AS d", "d.value", "d.value", "d.key", 0,
            () => [new SqliteParameter("@ids", SqliteType.Text) { Value = json }]));
    }

    /// <summary>
    /// Nothing to drop and create again: views name their tables and are compiled when used (see <see cref="SqliteDependents"/>),
    /// and a widening or an added column changes nothing they rely on.
    /// </summary>
    public override Task<Dependents> DependentsAsync(SqlSession session, TableLayout layout, IReadOnlyList<ColumnAlteration> alterations, CancellationToken cancellationToken) =>
        Task.FromResult(Dependents.None);

    /// <summary>
    /// A type change: the live table's indexes and triggers are read (<see cref="SqliteDependents"/>), the live table is
    /// dropped, the shadow renamed to its name, and the indexes and triggers made again from their own SQL. The rename
    /// runs with <c>legacy_alter_table</c> on: since SQLite 3.26 a rename otherwise rewrites (and first checks) every view
    /// and trigger naming either table, which would fail on an analyst's view of the live table while it is briefly gone,
    /// and would repoint such views at the renamed table; with it on, views keep naming the live table and read the new
    /// one. Readers (WAL) keep their snapshot until the commit, then see the new table.
    /// Columns of the live table the shadow lacks (a column kept after its attribute was removed, one an analyst added)
    /// are first added to the shadow table with their values (<see cref="SqliteDependents.CarryColumnsAsync"/>), so they
    /// and the indexes on them stay too.
    /// </summary>
    public override async Task ReplaceWithShadowAsync(SqlSession session, TableLayout layout, CancellationToken cancellationToken)
    {
        var entity = layout.EntityName;
        var kept = await SqliteDependents.ReadAsync(session, this, layout.TableName, cancellationToken).ConfigureAwait(false);
        await SqliteDependents.CarryColumnsAsync(session, this, layout, cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(DropTableIfExists(Table(layout.TableName, entity)), cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("PRAGMA legacy_alter_table = ON;", cancellationToken).ConfigureAwait(false);
        try
        {
            await session.ExecuteAsync($"ALTER TABLE {Table(layout.ShadowTableName, entity)} RENAME TO {Table(layout.TableName, entity)};", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.ExecuteAsync("PRAGMA legacy_alter_table = OFF;", cancellationToken).ConfigureAwait(false);
        }

        foreach (var statement in kept.SelectMany(k => k.Recreate))
        {
            await statement.ExecuteAsync(session, cancellationToken).ConfigureAwait(false);
        }
    }

    // ---- Reconciliation key stage: a TEMP table is private to its connection, so filling it never takes the file's write lock ----

    public override string KeyStage => "temp." + Quote("reportingsync_recon_keys", "table");

    public override IReadOnlyList<string> CreateKeyStage() =>
        [$"CREATE TEMP TABLE IF NOT EXISTS {Quote("reportingsync_recon_keys", "table")} ({Quote("Id")} TEXT NOT NULL PRIMARY KEY, {Quote("Version")} INTEGER NOT NULL) WITHOUT ROWID;", $"DELETE FROM {KeyStage};"];

    /// <summary>One transaction of prepared inserts per source page.</summary>
    public override Task AddKeysAsync(DbConnection connection, IReadOnlyList<RowKey> keys, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;
        using var transaction = sqlite.BeginTransaction();
        using var insert = new SqliteCommand($"INSERT OR REPLACE INTO {KeyStage} ({Quote("Id")}, {Quote("Version")}) VALUES (@id, @version);", sqlite, transaction);
        var id = insert.Parameters.Add("@id", SqliteType.Text);
        var version = insert.Parameters.Add("@version", SqliteType.Integer);
        insert.Prepare();
        foreach (var key in keys)
        {
            id.Value = key.Id.ToString("D");
            version.Value = key.Version;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }
}
