using Microsoft.Data.SqlClient;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>The per-page commit protocol (DESIGN.md), in one transaction.</summary>
internal sealed partial class SqlServerTarget
{
    /// <summary>
    /// 0. screen the rows (values a column cannot hold set their row aside for the quarantine table); then in one
    /// transaction with XACT_ABORT ON: 1. compare-and-set the state row (fenced by the lease when the commit names an
    /// owner); 2. write the accepted rows: BulkLoad copies the page's ids into a temp table first and, when none exists
    /// in the table, SqlBulkCopy's the rows straight into it (no error-driven fallback: with XACT_ABORT a duplicate key
    /// would doom the whole transaction), otherwise, and for Upsert, SqlBulkCopy into the session's temp stage and one
    /// guarded MERGE; 3. record quarantined rows and release entries whose record now fits; 4. delete (or mark) the
    /// page's deletes, copied into a temp table, and log them; 5. commit.
    /// </summary>
    public Task<CommitResult> CommitPageAsync(PageCommit commit, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(commit);
        var layout = commit.Layout;
        var table = commit.EffectiveTableName;
        var qualified = QualifiedTable(table, layout);
        var deletes = PageRows.DistinctDeletes(commit.Deletes);
        var started = _time.GetTimestamp();
        var now = _time.GetUtcNow().UtcDateTime;

        try
        {
            var compatibility = layout.Options.Compatibility;
            var screened = commit.Upserts.Count == 0
                ? new ScreenedRows([], [])
                : RowScreen.Screen(layout, table, PageRows.Deduplicate(commit.Upserts, table), (c, v) => SqlServerValues.Problem(c, v, compatibility));
            var rows = screened.Accepted;

            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await BeginAsync(connection, cancellationToken, lockDdl: false);
            if (!await _state.CompareAndSetAsync(
                    connection, transaction, commit.ExpectedCursor, commit.ExpectedShadowCursor, commit.LeaseOwner, now, commit.State, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                throw await ConflictAsync(connection, commit.State.EntityName, commit.LeaseOwner, now, cancellationToken);
            }

            if (commit.ClearTable)
            {
                await using var clear = new SqlCommand(SqlServerStatements.ClearTable(qualified), connection, transaction);
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            var written = rows.Count == 0
                ? 0
                : commit.Mode == WriteMode.BulkLoad
                    ? await BulkLoadAsync(connection, transaction, layout, table, qualified, rows, now, cancellationToken)
                    : await UpsertAsync(connection, transaction, layout, qualified, rows, now, cancellationToken);
            var quarantined = await QuarantineAsync(connection, transaction, qualified, layout.EntityName, screened.Quarantined, now, cancellationToken);
            if (rows.Count > 0)
            {
                await using var release = Command(connection, transaction, SqlServerStatements.ReleaseWritten(_schema.Owned(StateTables.QuarantineTable), qualified), layout.EntityName, now);
                await release.ExecuteNonQueryAsync(cancellationToken);
            }

            var deleted = deletes.Count == 0 ? 0 : await DeleteAsync(connection, transaction, layout, qualified, deletes, now, cancellationToken);
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
    private async Task<CursorConflictException> ConflictAsync(SqlConnection connection, string entity, string? leaseOwner, DateTime now, CancellationToken ct)
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
        SqlConnection connection, SqlTransaction transaction, TableLayout layout, string table, string qualified,
        IReadOnlyList<object?[]> rows, DateTime now, CancellationToken ct)
    {
        await ExecuteAsync(connection, transaction, SqlServerSchemaWriter.CreateKeys(), ct);
        await SqlServerBulkWriter.WriteAsync(
            connection, transaction, SqlServerSchemaWriter.KeysTable, [SyncColumns.Id], rows, (row, _) => row[layout.IdOrdinal], ct);
        await using (var check = new SqlCommand(SqlServerStatements.AnyKeyExists(qualified), connection, transaction))
        {
            if ((int)(await check.ExecuteScalarAsync(ct))! == 0)
            {
                return await SqlServerBulkWriter.WriteRowsAsync(connection, transaction, qualified, layout, rows, now, ct);
            }
        }

        // Some ids are already there (a resumed or overlapping read): the guarded upsert gives the same result.
        _logger.BulkLoadFellBack(table);
        return await UpsertAsync(connection, transaction, layout, qualified, rows, now, ct);
    }

    private static async Task<long> UpsertAsync(
        SqlConnection connection, SqlTransaction transaction, TableLayout layout, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken ct)
    {
        await ExecuteAsync(connection, transaction, SqlServerSchemaWriter.CreateStage(layout), ct);
        await SqlServerBulkWriter.WriteRowsAsync(connection, transaction, SqlServerSchemaWriter.StageTable, layout, rows, sinkTime: null, ct);
        await using var merge = new SqlCommand(SqlServerStatements.Merge(qualified, layout), connection, transaction);
        merge.Parameters.Add(SqlServerValues.Parameter(SqlServerStatements.NowParameter, ColumnStorageType.DateTime, now));
        return await merge.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Quarantined rows are few (one bad value each), so each is one small statement.</summary>
    private async Task<long> QuarantineAsync(
        SqlConnection connection, SqlTransaction transaction, string qualified, string entity, IReadOnlyList<QuarantineEntry> entries, DateTime now, CancellationToken ct)
    {
        long written = 0;
        foreach (var entry in entries)
        {
            await using var command = Command(connection, transaction, SqlServerStatements.Quarantine(_schema.Owned(StateTables.QuarantineTable), qualified), entity, now);
            command.Parameters.Add(SqlServerValues.Parameter("@id", ColumnStorageType.Guid, entry.RecordId));
            command.Parameters.Add(SqlServerValues.Parameter("@version", ColumnStorageType.Int64, entry.VersionNumber));
            command.Parameters.Add(SqlServerValues.Parameter("@column", ColumnStorageType.String, entry.ColumnName, 128));
            command.Parameters.Add(SqlServerValues.Parameter("@reason", ColumnStorageType.String, entry.Reason));
            written += Math.Max(0, await command.ExecuteNonQueryAsync(ct));
        }

        return written;
    }

    private async Task<long> DeleteAsync(
        SqlConnection connection, SqlTransaction transaction, TableLayout layout, string qualified, IReadOnlyList<Guid> deletes, DateTime now, CancellationToken ct)
    {
        await ExecuteAsync(connection, transaction, SqlServerSchemaWriter.CreateDeletes(), ct);
        var rows = deletes.Select((id, i) => new object?[] { i, id }).ToList();
        await SqlServerBulkWriter.WriteAsync(connection, transaction, SqlServerSchemaWriter.DeletesTable, ["Seq", SyncColumns.Id], rows, (row, i) => row[i], ct);

        long deleted;
        var soft = layout.Options.SoftDeletes;
        await using (var delete = Command(connection, transaction, soft ? SqlServerStatements.SoftDelete(qualified) : SqlServerStatements.HardDelete(qualified), null, now))
        {
            deleted = await delete.ExecuteNonQueryAsync(ct);
        }

        await using (var log = Command(connection, transaction, SqlServerStatements.LogDeletes(_schema.Owned(StateTables.DeleteLogTable)), layout.EntityName, now))
        {
            await log.ExecuteNonQueryAsync(ct);
        }

        await using (var release = Command(connection, transaction, SqlServerStatements.ReleaseDeleted(_schema.Owned(StateTables.QuarantineTable)), layout.EntityName, now))
        {
            await release.ExecuteNonQueryAsync(ct);
        }

        return deleted;
    }

    /// <summary>A command with the usual <c>@entity</c> and <c>@now</c> parameters (SQL Server ignores unused parameters).</summary>
    private static SqlCommand Command(SqlConnection connection, SqlTransaction transaction, string sql, string? entity, DateTime now)
    {
        var command = new SqlCommand(sql, connection, transaction);
        if (entity is not null)
        {
            command.Parameters.Add(SqlServerValues.Parameter(SqlServerStatements.EntityParameter, ColumnStorageType.String, entity, 128));
        }

        command.Parameters.Add(SqlServerValues.Parameter(SqlServerStatements.NowParameter, ColumnStorageType.DateTime, now));
        return command;
    }
}
