using Npgsql;
using NpgsqlTypes;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>The per-page commit protocol (DESIGN.md), in one transaction.</summary>
internal sealed partial class PostgreSqlTarget
{
    private const string BulkLoadSavepoint = "bulk_load";

    /// <summary>
    /// 1. compare-and-set the state row (first, so a second writer for the entity waits on the row lock and then
    /// fails fast); 2. write the rows (BulkLoad: COPY straight into the table inside a savepoint, falling back to the
    /// upsert on a duplicate key; Upsert: COPY into a temp stage, then one guarded INSERT ... ON CONFLICT);
    /// 3. delete (or mark) and log the deletes; 4. commit. Any failure rolls everything back.
    /// </summary>
    public Task<CommitResult> CommitPageAsync(PageCommit commit, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(commit);
        var layout = commit.Layout;
        var table = commit.EffectiveTableName;
        var qualified = QualifiedTable(table, layout);
        var rows = commit.Upserts.Count == 0 ? [] : PageRows.Deduplicate(commit.Upserts, table);
        var deletes = PageRows.DistinctDeletes(commit.Deletes);
        var started = _time.GetTimestamp();
        var now = PostgreSqlValues.ToTimestamp(_time.GetUtcNow().UtcDateTime);

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (!await _state.CompareAndSetAsync(connection, commit.ExpectedCursor, commit.State, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                _logger.CursorConflict(commit.State.EntityName);
                throw new CursorConflictException(commit.State.EntityName);
            }

            var written = rows.Count == 0
                ? 0
                : commit.Mode == WriteMode.BulkLoad
                    ? await BulkLoadAsync(connection, transaction, layout, table, qualified, rows, now, cancellationToken)
                    : await UpsertAsync(connection, layout, table, qualified, rows, now, cancellationToken);
            var deleted = deletes.Count == 0 ? 0 : await DeleteAsync(connection, layout, qualified, deletes, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            _logger.PageCommitted(layout.EntityName, table, commit.Mode.ToString(), written, deleted, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return new CommitResult(written, deleted);
        }
        catch (RowRejectedException rejected)
        {
            _logger.RowRejected(rejected.Table, rejected.Column, rejected.RowId, rejected.Reason);
            throw;
        }
    });

    private async Task<long> BulkLoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TableLayout layout, string table, string qualified,
        IReadOnlyList<object?[]> rows, DateTime now, CancellationToken ct)
    {
        await transaction.SaveAsync(BulkLoadSavepoint, ct);
        try
        {
            var copied = await CopyAsync(connection, qualified, layout, table, rows, now, ct);
            await transaction.ReleaseAsync(BulkLoadSavepoint, ct);
            return copied;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgreSqlErrors.UniqueViolation)
        {
            // Some ids are already there (a resumed or overlapping read): the guarded upsert gives the same result.
            await transaction.RollbackAsync(BulkLoadSavepoint, ct);
            _logger.BulkLoadFellBack(table);
            return await UpsertAsync(connection, layout, table, qualified, rows, now, ct);
        }
    }

    private static async Task<long> UpsertAsync(
        NpgsqlConnection connection, TableLayout layout, string table, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken ct)
    {
        await ExecuteAsync(connection, PostgreSqlSchemaWriter.CreateStage(layout), ct);
        await CopyAsync(connection, PostgreSqlIdentifier.Quote(PostgreSqlSchemaWriter.StageTable, "table"), layout, table, rows, sinkTime: null, ct);
        await using var upsert = new NpgsqlCommand(PostgreSqlStatements.UpsertFromStage(qualified, layout), connection);
        upsert.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.NowParameter, NpgsqlDbType.Timestamp, now));
        return await upsert.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> CopyAsync(
        NpgsqlConnection connection, string qualifiedTarget, TableLayout layout, string table, IReadOnlyList<object?[]> rows, DateTime? sinkTime, CancellationToken ct)
    {
        await using var writer = await PostgreSqlBulkWriter.BeginAsync(connection, qualifiedTarget, layout, table, sinkTime, ct);
        try
        {
            await writer.WriteAsync(rows, ct);
            return await writer.CompleteAsync(ct);
        }
        catch (PostgresException ex) when (PostgreSqlErrors.TryRowRejected(ex, table, writer.WrittenIds) is { } rejected)
        {
            throw rejected;
        }
    }

    private async Task<long> DeleteAsync(
        NpgsqlConnection connection, TableLayout layout, string qualified, IReadOnlyList<Guid> deletes, DateTime now, CancellationToken ct)
    {
        var ids = deletes.ToArray();
        var soft = layout.Options.SoftDeletes;
        var delete = new NpgsqlBatchCommand(soft ? PostgreSqlStatements.SoftDelete(qualified) : PostgreSqlStatements.HardDelete(qualified));
        delete.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.IdsParameter, NpgsqlDbType.Array | NpgsqlDbType.Uuid, ids));
        if (soft)
        {
            delete.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.NowParameter, NpgsqlDbType.Timestamp, now));
        }

        // Both statements in one round trip.
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(delete);
        batch.BatchCommands.Add(_state.LogDeletes(layout.EntityName, ids, now));
        await batch.ExecuteNonQueryAsync(ct);
        return delete.RecordsAffected;
    }
}
