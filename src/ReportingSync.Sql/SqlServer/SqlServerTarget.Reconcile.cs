using Microsoft.Data.SqlClient;
using ReportingSync.Engine.Reconciliation;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// Reconciliation: source keys go by SqlBulkCopy into a session #temp table, compared with the entity table by
/// <see cref="ReconcileSql"/>; run and finding rows in <c>reportingsync.ReconciliationRun</c> / <c>ReconciliationFinding</c>.
/// The T-SQL is pinned by golden files (tests/.../SqlServer/Golden/reconcile.sql) since no SQL Server runs here.
/// </summary>
internal sealed partial class SqlServerTarget
{
    internal const string KeyStage = "#reportingsync_recon_keys";

    /// <summary>Quoted by hand: '#' (session temp table) is outside the identifier rule that guards names from metadata.</summary>
    private const string QuotedKeyStage = "[" + KeyStage + "]";

    /// <summary>SQL Server takes at most 2,100 parameters per request.</summary>
    private const int IdsPerStatement = 1000;

    /// <summary>The clustered key makes the NOT EXISTS / JOIN arms merge joins; IGNORE_DUP_KEY absorbs an id read twice.</summary>
    internal static string CreateKeyStage() =>
        $"IF OBJECT_ID(N'tempdb..{KeyStage}') IS NOT NULL DROP TABLE {QuotedKeyStage};\n" +
        $"CREATE TABLE {QuotedKeyStage} ({Q("Id")} uniqueidentifier NOT NULL, {Q("Version")} bigint NOT NULL, " +
        $"PRIMARY KEY CLUSTERED ({Q("Id")}) WITH (IGNORE_DUP_KEY = ON));";

    internal static ReconcileSql ReconcileStatements(string qualifiedTable, TableLayout layout) =>
        new(Q, qualifiedTable, QuotedKeyStage, layout, "{0}" + Q(SyncColumns.IsDeleted) + " = 0", "bigint");

    public Task<IKeyStage> BeginKeyStageAsync(TableLayout layout, CancellationToken cancellationToken) => RunAsync<IKeyStage>(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        var qualified = QualifiedTable(layout.TableName, layout);
        return await ConnectionHandOver.OpenForAsync<SqlConnection, IKeyStage>(OpenAsync(cancellationToken), async connection =>
        {
            await ExecuteAsync(connection, null, CreateKeyStage(), cancellationToken);
            return new KeyStageSession(this, connection, ReconcileStatements(qualified, layout));
        });
    });

    public Task<RowBatch> ReadRowsByIdAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(ids);
        var batch = new RowBatch(layout, ids.Count);
        var statements = ReconcileStatements(QualifiedTable(layout.TableName, layout), layout);
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(IdsPerStatement))
        {
            var names = chunk.Select((_, i) => "@id" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            await using var command = new SqlCommand(statements.RowsById($"IN ({string.Join(", ", names)})"), connection);
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Parameters.Add(SqlServerValues.Parameter(names[i], ColumnStorageType.Guid, chunk[i]));
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = batch.AddRow();
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = SqlServerValues.Read(reader, i, layout.Columns[i].Type);
                }
            }
        }

        return batch;
    });

    internal string StartRunText() =>
        ReconcileSql.InsertOwned(Q, _schema.Owned(StateTables.ReconciliationRunTable), StateTables.ReconciliationRunTable, $" OUTPUT INSERTED.{Q("Id")}", "");

    internal string FinishRunText() => ReconcileSql.UpdateOwned(Q, _schema.Owned(StateTables.ReconciliationRunTable), StateTables.ReconciliationRunTable);

    internal string InsertFindingText() => ReconcileSql.InsertOwned(Q, _schema.Owned(StateTables.ReconciliationFindingTable), StateTables.ReconciliationFindingTable, "", "");

    public Task<long> StartReconciliationRunAsync(ReconciliationRun run, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(StartRunText(), connection);
        AddOwnedParameters(command, StateTables.ReconciliationRunTable, StateTables.ToValues(run));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    });

    public Task FinishReconciliationRunAsync(ReconciliationRun run, IReadOnlyList<ReconciliationFinding> findings, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(findings);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken, lockDdl: false);
        await using (var update = new SqlCommand(FinishRunText(), connection, transaction))
        {
            AddOwnedParameters(update, StateTables.ReconciliationRunTable, StateTables.ToValues(run));
            update.Parameters.Add(SqlServerValues.Parameter("@id", ColumnStorageType.Int64, run.Id));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var finding in findings)
        {
            await using var insert = new SqlCommand(InsertFindingText(), connection, transaction);
            AddOwnedParameters(insert, StateTables.ReconciliationFindingTable, StateTables.ToValues(finding with { RunId = run.Id, EntityName = run.EntityName }));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return 0;
    });

    public Task<IReadOnlyList<ReconciliationRun>> LoadReconciliationRunsAsync(string? entityName, int limit, CancellationToken cancellationToken)
    {
        var table = StateTables.ReconciliationRunTable;
        var sql = ReconcileSql.SelectOwned(Q, _schema.Owned(table), table, entityName is null ? null : StateTables.EntityName, "TOP (@limit) ", "");
        return ReadOwnedAsync(sql, table, StateTables.ReconciliationRunFromValues, ColumnStorageType.String, entityName, limit, cancellationToken);
    }

    public async Task<IReadOnlyList<ReconciliationFinding>> LoadReconciliationFindingsAsync(long runId, CancellationToken cancellationToken)
    {
        var table = StateTables.ReconciliationFindingTable;
        var sql = ReconcileSql.SelectOwned(Q, _schema.Owned(table), table, "RunId", "TOP (@limit) ", "");
        var newestFirst = await ReadOwnedAsync(sql, table, StateTables.ReconciliationFindingFromValues, ColumnStorageType.Int64, runId, int.MaxValue, cancellationToken);
        return newestFirst.Reverse().ToList();
    }

    private Task<IReadOnlyList<T>> ReadOwnedAsync<T>(
        string sql, OwnedTable table, Func<object?[], T> create, ColumnStorageType keyType, object? key, int limit, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(sql, connection);
        command.Parameters.Add(SqlServerValues.Parameter("@key", keyType, key, 128));
        command.Parameters.Add(SqlServerValues.Parameter("@limit", ColumnStorageType.Int32, limit));
        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = SqlServerValues.Read(reader, i, table.Columns[i].Type);
            }

            result.Add(create(values));
        }

        return (IReadOnlyList<T>)result;
    });

    private static void AddOwnedParameters(SqlCommand command, OwnedTable table, object?[] values)
    {
        var columns = table.Writable;
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.Add(SqlServerValues.Parameter("@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), columns[i].Type, values[i], columns[i].MaxLength));
        }
    }

    private static string Q(string name) => SqlServerIdentifier.Quote(name, "column");

    /// <summary>One connection holding the #temp table (it lives as long as the session); keys go in by SqlBulkCopy.</summary>
    private sealed class KeyStageSession(SqlServerTarget target, SqlConnection connection, ReconcileSql sql) : IKeyStage
    {
        private static readonly string[] Columns = ["Id", "Version"];

        public Task AddAsync(IReadOnlyList<RowKey> keys, CancellationToken cancellationToken) => target.RunAsync(async () =>
        {
            var rows = keys.Select(k => new object?[] { k.Id, k.Version }).ToList();
            return await SqlServerBulkWriter.WriteAsync(connection, null!, QuotedKeyStage, Columns, rows, static (row, i) => row[i], cancellationToken);
        });

        public Task<KeyDifferences> CompareAsync(int limit, CancellationToken cancellationToken) => target.RunAsync(async () =>
        {
            List<ReconciliationFinding> suspects;
            await using (var command = new SqlCommand(sql.Suspects("TOP (@limit) ", ""), connection) { CommandTimeout = 0 })
            {
                command.Parameters.Add(SqlServerValues.Parameter("@limit", ColumnStorageType.Int32, limit));
                suspects = await KeyDifferenceReader.ReadSuspectsAsync(command, r => r.GetGuid(0), cancellationToken);
            }

            await using var counts = new SqlCommand(sql.Counts(withKinds: suspects.Count >= limit), connection) { CommandTimeout = 0 };
            return await KeyDifferenceReader.ReadCountsAsync(counts, suspects, cancellationToken);
        });

        public async ValueTask DisposeAsync()
        {
            try
            {
                await ExecuteAsync(connection, null, $"DROP TABLE IF EXISTS {QuotedKeyStage};", CancellationToken.None);
            }
            catch (SqlException)
            {
                // The #temp table goes with the session anyway.
            }

            await connection.DisposeAsync();
        }
    }
}
