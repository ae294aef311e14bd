using Microsoft.Data.Sqlite;
using ReportingSync.Engine.Reconciliation;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// Reconciliation: source keys go into a TEMP table on a reader connection (the temp database is private to the
/// connection, so filling it never takes the file's write lock from the worker) in one transaction per source page,
/// then <see cref="ReconcileSql"/> compares. Run and finding rows go through the writer like every other write.
/// </summary>
internal sealed partial class SqliteTarget
{
    internal const string KeyStage = "reportingsync_recon_keys";

    /// <summary>SQLite binds at most 32,766 parameters; id lists go in chunks far below that.</summary>
    private const int IdsPerStatement = 500;

    internal static string CreateKeyStage() =>
        $"CREATE TEMP TABLE IF NOT EXISTS {Q(KeyStage)} ({Q("Id")} TEXT NOT NULL PRIMARY KEY, {Q("Version")} INTEGER NOT NULL) WITHOUT ROWID; DELETE FROM {Q(KeyStage)};";

    internal static ReconcileSql ReconcileStatements(string quotedTable, TableLayout layout) =>
        new(Q, quotedTable, Q(KeyStage), layout, "{0}" + Q(SyncColumns.IsDeleted) + " = 0", "INTEGER");

    public Task<IKeyStage> BeginKeyStageAsync(TableLayout layout, CancellationToken cancellationToken) => RunAsync<IKeyStage>(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        var quoted = SqliteIdentifier.Quote(CheckTable(layout.TableName, layout), "table", layout.EntityName);
        return await ConnectionHandOver.OpenForAsync<SqliteConnection, IKeyStage>(OpenReaderAsync(cancellationToken), connection =>
        {
            Execute(connection, null, $"PRAGMA busy_timeout = {_busyTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture)};");
            Execute(connection, null, CreateKeyStage());
            return Task.FromResult<IKeyStage>(new KeyStageSession(this, connection, ReconcileStatements(quoted, layout)));
        });
    });

    public Task<RowBatch> ReadRowsByIdAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(ids);
        var batch = new RowBatch(layout, ids.Count);
        var statements = ReconcileStatements(SqliteIdentifier.Quote(CheckTable(layout.TableName, layout), "table", layout.EntityName), layout);
        await using var connection = await OpenReaderAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(IdsPerStatement))
        {
            var names = chunk.Select((_, i) => "$id" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            await using var command = new SqliteCommand(statements.RowsById($"IN ({string.Join(", ", names)})"), connection);
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Parameters.AddWithValue(names[i], SqliteValues.ToDb(chunk[i], ColumnStorageType.Guid));
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = batch.AddRow();
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = SqliteValues.Read(reader, i, layout.Columns[i].Type);
                }
            }
        }

        return batch;
    });

    public Task<long> StartReconciliationRunAsync(ReconciliationRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var table = StateTables.ReconciliationRunTable;
        var sql = ReconcileSql.InsertOwned(Q, Q(_schema.Owned(table)), table, "", $" RETURNING {Q("Id")}");
        return WriteAsync(connection =>
        {
            using var command = new SqliteCommand(sql, connection);
            AddOwnedParameters(command, table, StateTables.ToValues(run));
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);
    }

    public Task FinishReconciliationRunAsync(ReconciliationRun run, IReadOnlyList<ReconciliationFinding> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(findings);
        var runs = StateTables.ReconciliationRunTable;
        var found = StateTables.ReconciliationFindingTable;
        var update = ReconcileSql.UpdateOwned(Q, Q(_schema.Owned(runs)), runs);
        var insert = ReconcileSql.InsertOwned(Q, Q(_schema.Owned(found)), found, "", "");
        return WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var command = new SqliteCommand(update, connection, transaction))
            {
                AddOwnedParameters(command, runs, StateTables.ToValues(run));
                command.Parameters.AddWithValue("@id", run.Id);
                command.ExecuteNonQuery();
            }

            foreach (var finding in findings)
            {
                using var command = new SqliteCommand(insert, connection, transaction);
                AddOwnedParameters(command, found, StateTables.ToValues(finding with { RunId = run.Id, EntityName = run.EntityName }));
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ReconciliationRun>> LoadReconciliationRunsAsync(string? entityName, int limit, CancellationToken cancellationToken)
    {
        var table = StateTables.ReconciliationRunTable;
        var sql = ReconcileSql.SelectOwned(Q, Q(_schema.Owned(table)), table, entityName is null ? null : StateTables.EntityName, "", " LIMIT @limit");
        return ReadOwnedAsync(sql, table, StateTables.ReconciliationRunFromValues, entityName, limit, cancellationToken);
    }

    public Task<IReadOnlyList<ReconciliationFinding>> LoadReconciliationFindingsAsync(long runId, CancellationToken cancellationToken)
    {
        var table = StateTables.ReconciliationFindingTable;
        var sql = ReconcileSql.SelectOwned(Q, Q(_schema.Owned(table)), table, "RunId", "", " LIMIT @limit");
        return ReadOwnedAsync(sql, table, StateTables.ReconciliationFindingFromValues, runId, int.MaxValue, cancellationToken);
    }

    private Task<IReadOnlyList<T>> ReadOwnedAsync<T>(
        string sql, OwnedTable table, Func<object?[], T> create, object? key, int limit, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = new SqliteCommand(sql, connection);
        command.Parameters.AddWithValue("@key", key ?? DBNull.Value);
        command.Parameters.AddWithValue("@limit", limit);
        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = SqliteValues.Read(reader, i, table.Columns[i].Type);
            }

            result.Add(create(values));
        }

        // Findings are listed oldest first (the order they were found); runs newest first.
        return (IReadOnlyList<T>)(table == StateTables.ReconciliationFindingTable ? result.AsEnumerable().Reverse().ToList() : result);
    });

    private static void AddOwnedParameters(SqliteCommand command, OwnedTable table, object?[] values)
    {
        var columns = table.Writable;
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.AddWithValue("@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), SqliteValues.ToDb(values[i], columns[i].Type));
        }
    }

    private static string Q(string name) => SqliteIdentifier.Quote(name, "column");

    /// <summary>One reader connection holding the TEMP table; each page of keys is one transaction of prepared inserts.</summary>
    private sealed class KeyStageSession(SqliteTarget target, SqliteConnection connection, ReconcileSql sql) : IKeyStage
    {
        public Task AddAsync(IReadOnlyList<RowKey> keys, CancellationToken cancellationToken) => target.RunAsync(() =>
        {
            using var transaction = connection.BeginTransaction();
            using var insert = new SqliteCommand($"INSERT OR REPLACE INTO {Q(KeyStage)} ({Q("Id")}, {Q("Version")}) VALUES ($id, $version);", connection, transaction);
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var version = insert.Parameters.Add("$version", SqliteType.Integer);
            insert.Prepare();
            foreach (var key in keys)
            {
                id.Value = SqliteValues.ToDb(key.Id, ColumnStorageType.Guid);
                version.Value = key.Version;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return Task.FromResult(0);
        });

        public Task<KeyDifferences> CompareAsync(int limit, CancellationToken cancellationToken) => target.RunAsync(async () =>
        {
            List<ReconciliationFinding> suspects;
            await using (var command = new SqliteCommand(sql.Suspects("", " LIMIT @limit"), connection))
            {
                command.Parameters.AddWithValue("@limit", limit);
                suspects = await KeyDifferenceReader.ReadSuspectsAsync(command, r => (Guid)SqliteValues.Read((SqliteDataReader)r, 0, ColumnStorageType.Guid)!, cancellationToken);
            }

            await using var counts = new SqliteCommand(sql.Counts(withKinds: suspects.Count >= limit), connection);
            return await KeyDifferenceReader.ReadCountsAsync(counts, suspects, cancellationToken);
        });

        public async ValueTask DisposeAsync()
        {
            try
            {
                Execute(connection, null, $"DROP TABLE IF EXISTS temp.{Q(KeyStage)};");
            }
            catch (SqliteException)
            {
                // Closing the connection drops the temp database anyway.
            }

            await connection.DisposeAsync();
        }
    }
}
