using System.Data.Common;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// Reconciliation (<see cref="IReconciliationStore"/>): source keys go into a session temp table (binary COPY on
/// PostgreSQL, SqlBulkCopy on SQL Server, prepared inserts on SQLite, on a connection of their own) and are compared
/// with the entity table by set operations (<see cref="ReconcileSql"/>); run and finding rows are kept in the state schema.
/// </summary>
internal sealed partial class SqlTarget
{
    public Task<IKeyStage> BeginKeyStageAsync(TableLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var sql = new ReconcileSql(_dialect, Qualify(layout.TableName, layout), layout);
        return RunAsync<IKeyStage>(async () =>
        {
            var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var session = new SqlSession(connection, null);
                foreach (var statement in _dialect.CreateKeyStage())
                {
                    await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
                }

                return new KeyStageSession(this, session, sql);
            }
            catch
            {
                // Until the session owns it nobody else will dispose the connection.
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        });
    }

    public Task<RowBatch> ReadRowsByIdAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(ids);
        var qualified = Qualify(layout.TableName, layout);
        return ReadAsync(async session =>
        {
            var batch = new RowBatch(layout, ids.Count);
            if (ids.Count == 0)
            {
                return batch;
            }

            var list = await _dialect.StageIdsAsync(session, ids.Distinct().ToList(), cancellationToken).ConfigureAwait(false);
            await using var command = session.Command(new ReconcileSql(_dialect, qualified, layout).RowsById(list));
            list.Bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = batch.AddRow();
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = _dialect.Read(reader, i, layout.Columns[i].Type);
                }
            }

            return batch;
        }, cancellationToken);
    }

    public Task<long> StartReconciliationRunAsync(ReconciliationRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var table = StateTables.ReconciliationRunTable;
        return WriteAsync(lockDdl: false, async session =>
        {
            var id = await session.ScalarAsync(
                new OwnedSql(_dialect).InsertReturningId(_dialect.Owned(table), table), cancellationToken, OwnedParameters(table, StateTables.ToValues(run))).ConfigureAwait(false);
            return Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    public Task FinishReconciliationRunAsync(ReconciliationRun run, IReadOnlyList<ReconciliationFinding> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(findings);
        var runs = StateTables.ReconciliationRunTable;
        var found = StateTables.ReconciliationFindingTable;
        var owned = new OwnedSql(_dialect);
        return WriteAsync(lockDdl: false, async session =>
        {
            await session.ExecuteAsync(
                owned.UpdateById(_dialect.Owned(runs), runs),
                cancellationToken,
                [.. OwnedParameters(runs, StateTables.ToValues(run)), _dialect.Parameter("@id", ColumnStorageType.Int64, run.Id)]).ConfigureAwait(false);
            foreach (var finding in findings)
            {
                await session.ExecuteAsync(
                    owned.Insert(_dialect.Owned(found), found), cancellationToken, OwnedParameters(found, StateTables.ToValues(finding with { RunId = run.Id, EntityName = run.EntityName })))
                    .ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ReconciliationRun>> LoadReconciliationRunsAsync(string? entityName, int limit, CancellationToken cancellationToken) =>
        LoadOwnedAsync(StateTables.ReconciliationRunTable, entityName is null ? null : StateTables.EntityName, ColumnStorageType.String, entityName, limit,
            StateTables.ReconciliationRunFromValues, cancellationToken);

    /// <summary>Findings oldest first (the order they were found).</summary>
    public async Task<IReadOnlyList<ReconciliationFinding>> LoadReconciliationFindingsAsync(long runId, CancellationToken cancellationToken)
    {
        var newestFirst = await LoadOwnedAsync(StateTables.ReconciliationFindingTable, "RunId", ColumnStorageType.Int64, runId, null,
            StateTables.ReconciliationFindingFromValues, cancellationToken).ConfigureAwait(false);
        return newestFirst.Reverse().ToList();
    }

    private Task<IReadOnlyList<T>> LoadOwnedAsync<T>(
        OwnedTable table, string? column, ColumnStorageType keyType, object? key, int? limit, Func<object?[], T> create, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<T>>(async session =>
        {
            List<DbParameter> parameters = [];
            if (column is not null)
            {
                parameters.Add(_dialect.Parameter("@key", keyType, key, 128));
            }

            if (limit is { } n)
            {
                parameters.Add(_dialect.Parameter("@limit", ColumnStorageType.Int32, n));
            }

            await using var command = session.Command(new OwnedSql(_dialect).SelectNewest(_dialect.Owned(table), table, column, limit is not null), parameters);
            return await SqlSession.ReadAllAsync(command, r => create(_state.ReadRow(r, table.Columns)), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>An owned table's writable columns as <c>@p0..</c>, for <see cref="OwnedSql"/>'s single-row statements.</summary>
    private IEnumerable<DbParameter> OwnedParameters(OwnedTable table, object?[] values) =>
        table.Writable.Select((c, i) => _dialect.Parameter(OwnedSql.Parameter(i), c.Type, values[i], c.MaxLength));

    /// <summary>One connection holding the key stage; keys go in by the dialect's bulk path, one call per source page.</summary>
    private sealed class KeyStageSession(SqlTarget target, SqlSession session, ReconcileSql sql) : IKeyStage
    {
        public Task AddAsync(IReadOnlyList<RowKey> keys, CancellationToken cancellationToken) =>
            target.RunAsync(async () =>
            {
                await target._dialect.AddKeysAsync(session.Connection, keys, cancellationToken).ConfigureAwait(false);
                return 0;
            });

        public Task<KeyDifferences> CompareAsync(int limit, CancellationToken cancellationToken) => target.RunAsync(async () =>
        {
            if (target._dialect.PrepareCompare is { } prepare)
            {
                await session.ExecuteAsync(prepare, cancellationToken).ConfigureAwait(false);
            }

            List<ReconciliationFinding> suspects;
            await using (var command = session.Command(sql.Suspects(), target._dialect.Parameter("@limit", ColumnStorageType.Int32, limit)))
            {
                suspects = await KeyDifferenceReader.ReadSuspectsAsync(command, r => (Guid)target._dialect.Read(r, 0, ColumnStorageType.Guid)!, cancellationToken)
                    .ConfigureAwait(false);
            }

            await using var counts = session.Command(sql.Counts(withKinds: suspects.Count >= limit));
            return await KeyDifferenceReader.ReadCountsAsync(counts, suspects, cancellationToken).ConfigureAwait(false);
        });

        public async ValueTask DisposeAsync()
        {
            try
            {
                await session.ExecuteAsync(target._dialect.DropKeyStage, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DbException)
            {
                // The connection is going away anyway, and with it the temp table.
            }

            await session.Connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
