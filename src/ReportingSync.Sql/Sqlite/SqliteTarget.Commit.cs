using Microsoft.Data.Sqlite;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>The per-page commit protocol (DESIGN.md), in one transaction on the writer connection.</summary>
internal sealed partial class SqliteTarget
{
    /// <summary>
    /// A non-deferred transaction (BEGIN IMMEDIATE) takes the file's write lock up front, so another process waits
    /// (busy_timeout) at the start rather than failing halfway when a read lock cannot be upgraded. Rows are screened
    /// first (values a column cannot hold set their row aside for the quarantine table). Then: 1. compare-and-set the
    /// state row (fenced by the lease when the commit names an owner); 2. write the accepted rows (BulkLoad: plain
    /// INSERTs, falling back to the guarded upsert if an id exists; Upsert: the guarded upsert); 3. record quarantined
    /// rows and release entries whose record now fits; 4. delete (or mark) and log the deletes; 5. commit. Any failure
    /// rolls everything back.
    /// </summary>
    public async Task<CommitResult> CommitPageAsync(PageCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var layout = commit.Layout;
        var table = CheckTable(commit.EffectiveTableName, layout);
        ScreenedRows screened;
        try
        {
            screened = commit.Upserts.Count == 0
                ? new ScreenedRows([], [])
                : RowScreen.Screen(layout, table, PageRows.Deduplicate(commit.Upserts, table), SqliteValues.Problem);
        }
        catch (RowRejectedException rejected)
        {
            _logger.RowRejected(rejected.Table, rejected.Column, rejected.RowId, rejected.Reason);
            throw;
        }

        var rows = screened.Accepted;
        var deletes = PageRows.DistinctDeletes(commit.Deletes);

        return await WriteAsync(connection =>
        {
            var started = _time.GetTimestamp();
            var now = _time.GetUtcNow().UtcDateTime;
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                if (!_state.CompareAndSet(connection, transaction, commit.ExpectedCursor, commit.ExpectedShadowCursor, commit.LeaseOwner, now, commit.State))
                {
                    transaction.Rollback();
                    throw Conflict(connection, commit.State.EntityName, commit.LeaseOwner, now);
                }

                var quoted = SqliteIdentifier.Quote(table, "table", layout.EntityName);
                if (commit.ClearTable)
                {
                    using var clear = new SqliteCommand(SqliteStatements.ClearTable(quoted), connection, transaction);
                    clear.ExecuteNonQuery();
                }

                var written = rows.Count == 0 ? 0 : WriteRows(connection, transaction, layout, table, rows, commit.Mode, now, cancellationToken);
                var quarantined = screened.Quarantined.Count == 0
                    ? 0
                    : _state.Quarantine(connection, transaction, quoted, layout.EntityName, screened.Quarantined, SqliteValues.FormatDateTime(now));
                if (rows.Count > 0)
                {
                    _state.ReleaseWritten(connection, transaction, quoted, layout.EntityName);
                }

                var deleted = deletes.Count == 0 ? 0 : Delete(connection, transaction, layout, table, deletes, now);
                transaction.Commit();

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
        }, cancellationToken);
    }

    /// <summary>
    /// Why a compare-and-set failed, read after the rollback: with fencing, a lease that is gone, someone else's or
    /// expired is <see cref="LeaseLostException"/>; anything else is a moved cursor.
    /// </summary>
    private CursorConflictException Conflict(SqliteConnection connection, string entity, string? leaseOwner, DateTime now)
    {
        if (leaseOwner is not null)
        {
            var stored = _state.LoadAsync(connection, entity, CancellationToken.None).GetAwaiter().GetResult().SingleOrDefault();
            if (stored is null || stored.LeaseOwner != leaseOwner)
            {
                _logger.LeaseLost(entity, leaseOwner);
                return new LeaseLostException(entity, leaseOwner);
            }
        }

        _logger.CursorConflict(entity);
        return new CursorConflictException(entity);
    }

    private long WriteRows(
        SqliteConnection connection, SqliteTransaction transaction, TableLayout layout, string table,
        IReadOnlyList<object?[]> rows, WriteMode mode, DateTime now, CancellationToken ct)
    {
        if (mode == WriteMode.BulkLoad)
        {
            try
            {
                using var insert = SqliteBulkWriter.Begin(connection, transaction, layout, table, upsert: false, now);
                insert.Write(rows, ct);
                return insert.Complete();
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteErrors.PrimaryKeyViolation)
            {
                // Some ids are already there (a resumed or overlapping read): the writer rolled its rows back, and
                // the guarded upsert gives the same result.
                _logger.BulkLoadFellBack(table);
            }
        }

        using var upsert = SqliteBulkWriter.Begin(connection, transaction, layout, table, upsert: true, now);
        upsert.Write(rows, ct);
        return upsert.Complete();
    }

    private long Delete(
        SqliteConnection connection, SqliteTransaction transaction, TableLayout layout, string table, IReadOnlyList<Guid> deletes, DateTime now)
    {
        var quoted = SqliteIdentifier.Quote(table, "table", layout.EntityName);
        var nowText = SqliteValues.FormatDateTime(now);
        var soft = layout.Options.SoftDeletes;
        using var delete = new SqliteCommand(soft ? SqliteStatements.SoftDelete(quoted) : SqliteStatements.HardDelete(quoted), connection, transaction);
        var deleteId = delete.Parameters.Add(SqliteStatements.IdParameter, SqliteType.Text);
        if (soft)
        {
            delete.Parameters.AddWithValue(SqliteStatements.NowParameter, nowText);
        }

        delete.Prepare();
        using var log = _state.LogDelete(connection, transaction, layout.EntityName, nowText);
        using var release = _state.ReleaseDeleted(connection, transaction, layout.EntityName);
        long deleted = 0;
        foreach (var id in deletes)
        {
            var text = id.ToString("D");
            deleteId.Value = text;
            deleted += delete.ExecuteNonQuery();
            log.Parameters[SqliteStatements.IdParameter].Value = text;
            log.ExecuteNonQuery();
            release.Parameters[SqliteStatements.IdParameter].Value = text;
            release.ExecuteNonQuery();
        }

        return deleted;
    }
}
