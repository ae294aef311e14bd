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
    /// 0. screen the rows: values a column cannot hold set their row aside for the quarantine table (before any SQL, so
    /// nothing is truncated and the page does not fail); 1. compare-and-set the state row (first, so a second writer for
    /// the entity waits on the row lock and then fails fast; fenced by the lease when the commit names an owner);
    /// 2. write the accepted rows (BulkLoad: COPY straight into the table inside a savepoint, falling back to the upsert
    /// on a duplicate key; Upsert: COPY into a temp stage, then one guarded INSERT ... ON CONFLICT); 3. record the
    /// quarantined rows and release entries whose record now fits; 4. delete (or mark) and log the deletes; 5. commit.
    /// Any failure rolls everything back.
    /// </summary>
    public Task<CommitResult> CommitPageAsync(PageCommit commit, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(commit);
        var layout = commit.Layout;
        var table = commit.EffectiveTableName;
        var qualified = QualifiedTable(table, layout);
        var deletes = PageRows.DistinctDeletes(commit.Deletes);
        var started = _time.GetTimestamp();
        var utcNow = _time.GetUtcNow().UtcDateTime;
        var now = PostgreSqlValues.ToTimestamp(utcNow);

        try
        {
            var screened = commit.Upserts.Count == 0
                ? new ScreenedRows([], [])
                : RowScreen.Screen(layout, table, PageRows.Deduplicate(commit.Upserts, table), PostgreSqlValues.Problem);
            var rows = screened.Accepted;
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (!await _state.CompareAndSetAsync(
                    connection, commit.ExpectedCursor, commit.ExpectedShadowCursor, commit.LeaseOwner, utcNow, commit.State, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                throw await ConflictAsync(connection, commit.State.EntityName, commit.LeaseOwner, utcNow, cancellationToken);
            }

            if (commit.ClearTable)
            {
                await using var clear = new NpgsqlCommand(PostgreSqlStatements.ClearTable(qualified), connection);
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            var written = rows.Count == 0
                ? 0
                : commit.Mode == WriteMode.BulkLoad
                    ? await BulkLoadAsync(connection, transaction, layout, table, qualified, rows, now, cancellationToken)
                    : await UpsertAsync(connection, layout, table, qualified, rows, now, cancellationToken);
            var quarantined = screened.Quarantined.Count == 0
                ? 0
                : await _state.QuarantineAsync(connection, qualified, layout.EntityName, screened.Quarantined, now, cancellationToken);
            var deleted = await DeleteAndReleaseAsync(connection, layout, qualified, deletes, releaseWritten: rows.Count > 0, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            foreach (var entry in screened.Quarantined)
            {
                _logger.RowQuarantined(table, entry.ColumnName, entry.RecordId, entry.VersionNumber, entry.Reason);
            }

            _logger.PageCommitted(layout.EntityName, table, commit.Mode.ToString(), written, deleted, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return new CommitResult(written, deleted, quarantined);
        }
        catch (RowRejectedException rejected)
        {
            _logger.RowRejected(rejected.Table, rejected.Column, rejected.RowId, rejected.Reason);
            throw;
        }
    });

    /// <summary>
    /// Why a compare-and-set failed, read after the rollback: with fencing, a lease that is gone, someone else's or
    /// expired is <see cref="LeaseLostException"/>; anything else is a moved cursor.
    /// </summary>
    private async Task<CursorConflictException> ConflictAsync(NpgsqlConnection connection, string entity, string? leaseOwner, DateTime now, CancellationToken ct)
    {
        if (leaseOwner is not null)
        {
            var stored = (await _state.LoadAsync(connection, entity, ct)).SingleOrDefault();
            if (stored is null || stored.LeaseOwner != leaseOwner)
            {
                _logger.LeaseLost(entity, leaseOwner);
                return new LeaseLostException(entity, leaseOwner);
            }
        }

        _logger.CursorConflict(entity);
        return new CursorConflictException(entity);
    }

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

    /// <summary>
    /// Deletes (or marks) the page's deletes, logs them, and clears quarantine entries of deleted records and of records
    /// the table now holds at a version at least as new; all in one round trip.
    /// </summary>
    private async Task<long> DeleteAndReleaseAsync(
        NpgsqlConnection connection, TableLayout layout, string qualified, IReadOnlyList<Guid> deletes, bool releaseWritten, DateTime now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (releaseWritten)
        {
            batch.BatchCommands.Add(_state.ReleaseWritten(qualified, layout.EntityName));
        }

        NpgsqlBatchCommand? delete = null;
        if (deletes.Count > 0)
        {
            var ids = deletes.ToArray();
            var soft = layout.Options.SoftDeletes;
            delete = new NpgsqlBatchCommand(soft ? PostgreSqlStatements.SoftDelete(qualified) : PostgreSqlStatements.HardDelete(qualified));
            delete.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.IdsParameter, NpgsqlDbType.Array | NpgsqlDbType.Uuid, ids));
            if (soft)
            {
                delete.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.NowParameter, NpgsqlDbType.Timestamp, now));
            }

            batch.BatchCommands.Add(delete);
            batch.BatchCommands.Add(_state.LogDeletes(layout.EntityName, ids, now));
            batch.BatchCommands.Add(_state.ReleaseDeleted(layout.EntityName, ids));
        }

        if (batch.BatchCommands.Count == 0)
        {
            return 0;
        }

        await batch.ExecuteNonQueryAsync(ct);
        return delete?.RecordsAffected ?? 0;
    }
}
