using Npgsql;
using NpgsqlTypes;
using ReportingSync.Engine.Reconciliation;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// Reconciliation: source keys are binary-COPYed into a session temp table and compared with the entity table by
/// set operations (<see cref="ReconcileSql"/>); run and finding rows in <c>reportingsync.ReconciliationRun</c> /
/// <c>ReconciliationFinding</c>.
/// </summary>
internal sealed partial class PostgreSqlTarget
{
    /// <summary>Session temp table (pg_temp schema): invisible to other sessions, gone with the connection.</summary>
    internal const string KeyStage = "reportingsync_recon_keys";

    internal static string CreateKeyStage() =>
        $"CREATE TEMP TABLE IF NOT EXISTS {Q(KeyStage)} ({Q("Id")} uuid NOT NULL, {Q("Version")} bigint NOT NULL); TRUNCATE {Q(KeyStage)};";

    internal static ReconcileSql ReconcileStatements(string qualifiedTable, TableLayout layout) =>
        new(Q, qualifiedTable, Q(KeyStage), layout, "NOT {0}" + Q(SyncColumns.IsDeleted), "bigint");

    public Task<IKeyStage> BeginKeyStageAsync(TableLayout layout, CancellationToken cancellationToken) => RunAsync<IKeyStage>(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        var qualified = QualifiedTable(layout.TableName, layout);
        return await ConnectionHandOver.OpenForAsync<NpgsqlConnection, IKeyStage>(_dataSource.OpenConnectionAsync(cancellationToken).AsTask(), async connection =>
        {
            await ExecuteAsync(connection, CreateKeyStage(), cancellationToken);
            return new KeyStageSession(this, connection, ReconcileStatements(qualified, layout));
        });
    });

    public Task<RowBatch> ReadRowsByIdAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(ids);
        var batch = new RowBatch(layout, ids.Count);
        if (ids.Count == 0)
        {
            return batch;
        }

        var sql = ReconcileStatements(QualifiedTable(layout.TableName, layout), layout).RowsById("= ANY(@ids)");
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, ids.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = batch.AddRow();
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = PostgreSqlValues.Read(reader, i, layout.Columns[i].Type);
            }
        }

        return batch;
    });

    public Task<long> StartReconciliationRunAsync(ReconciliationRun run, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(run);
        var table = StateTables.ReconciliationRunTable;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(ReconcileSql.InsertOwned(Q, _schema.Owned(table), table, "", $" RETURNING {Q("Id")}"), connection);
        AddOwnedParameters(command.Parameters, table, StateTables.ToValues(run));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    });

    public Task FinishReconciliationRunAsync(ReconciliationRun run, IReadOnlyList<ReconciliationFinding> findings, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(findings);
        var runs = StateTables.ReconciliationRunTable;
        var found = StateTables.ReconciliationFindingTable;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand(ReconcileSql.UpdateOwned(Q, _schema.Owned(runs), runs), connection, transaction))
        {
            AddOwnedParameters(update.Parameters, runs, StateTables.ToValues(run));
            update.Parameters.Add(PostgreSqlValues.Parameter("id", ColumnStorageType.Int64, run.Id));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        if (findings.Count > 0)
        {
            await using var insert = new NpgsqlCommand(ReconcileSql.InsertOwned(Q, _schema.Owned(found), found, "", ""), connection, transaction);
            foreach (var finding in findings)
            {
                insert.Parameters.Clear();
                AddOwnedParameters(insert.Parameters, found, StateTables.ToValues(finding with { RunId = run.Id, EntityName = run.EntityName }));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return 0;
    });

    public Task<IReadOnlyList<ReconciliationRun>> LoadReconciliationRunsAsync(string? entityName, int limit, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var table = StateTables.ReconciliationRunTable;
        var sql = ReconcileSql.SelectOwned(Q, _schema.Owned(table), table, entityName is null ? null : StateTables.EntityName, "", " LIMIT @limit");
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("key", ColumnStorageType.String, entityName));
        command.Parameters.Add(PostgreSqlValues.Parameter("limit", ColumnStorageType.Int32, limit));
        return (IReadOnlyList<ReconciliationRun>)await ReadOwnedAsync(command, table, StateTables.ReconciliationRunFromValues, cancellationToken);
    });

    public Task<IReadOnlyList<ReconciliationFinding>> LoadReconciliationFindingsAsync(long runId, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var table = StateTables.ReconciliationFindingTable;
        var sql = ReconcileSql.SelectOwned(Q, _schema.Owned(table), table, "RunId", "", "");
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("key", ColumnStorageType.Int64, runId));
        var newestFirst = await ReadOwnedAsync(command, table, StateTables.ReconciliationFindingFromValues, cancellationToken);
        newestFirst.Reverse();
        return (IReadOnlyList<ReconciliationFinding>)newestFirst;
    });

    private static void AddOwnedParameters(NpgsqlParameterCollection parameters, OwnedTable table, object?[] values)
    {
        var columns = table.Writable;
        for (var i = 0; i < columns.Count; i++)
        {
            parameters.Add(PostgreSqlValues.Parameter("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), columns[i].Type, values[i]));
        }
    }

    private static async Task<List<T>> ReadOwnedAsync<T>(NpgsqlCommand command, OwnedTable table, Func<object?[], T> create, CancellationToken ct)
    {
        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var values = new object?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = PostgreSqlValues.Read(reader, i, table.Columns[i].Type);
            }

            result.Add(create(values));
        }

        return result;
    }

    private static string Q(string name) => PostgreSqlIdentifier.Quote(name, "column");

    /// <summary>One connection holding the temp table; keys go in by binary COPY, one COPY per source page.</summary>
    private sealed class KeyStageSession(PostgreSqlTarget target, NpgsqlConnection connection, ReconcileSql sql) : IKeyStage
    {
        public Task AddAsync(IReadOnlyList<RowKey> keys, CancellationToken cancellationToken) => target.RunAsync(async () =>
        {
            await using var importer = await connection.BeginBinaryImportAsync(
                $"COPY {Q(KeyStage)} ({Q("Id")}, {Q("Version")}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var key in keys)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(key.Id, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(key.Version, NpgsqlDbType.Bigint, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
            return 0;
        });

        public Task<KeyDifferences> CompareAsync(int limit, CancellationToken cancellationToken) => target.RunAsync(async () =>
        {
            // Fresh statistics on the stage so the planner picks hash joins for a million keys, not nested loops.
            await ExecuteAsync(connection, $"ANALYZE {Q(KeyStage)};", cancellationToken);
            List<ReconciliationFinding> suspects;
            await using (var command = new NpgsqlCommand(sql.Suspects("", " LIMIT @limit"), connection))
            {
                command.Parameters.Add(PostgreSqlValues.Parameter("limit", ColumnStorageType.Int32, limit));
                suspects = await KeyDifferenceReader.ReadSuspectsAsync(command, r => r.GetGuid(0), cancellationToken);
            }

            await using var counts = new NpgsqlCommand(sql.Counts(withKinds: suspects.Count >= limit), connection);
            return await KeyDifferenceReader.ReadCountsAsync(counts, suspects, cancellationToken);
        });

        public async ValueTask DisposeAsync()
        {
            try
            {
                await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {Q(KeyStage)};", CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The connection is going away anyway, and with it the temp table.
            }

            await connection.DisposeAsync();
        }
    }
}
