using Microsoft.Extensions.Logging;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// The per-page commit protocol (DESIGN.md), for every dialect, in one transaction. This file is the whole protocol:
/// <list type="number">
/// <item>Screen the rows before any SQL: a value a column cannot hold sets its row aside for the quarantine table, so
/// nothing is truncated and the page does not fail.</item>
/// <item>Begin a transaction on a write connection (SQLite: the single writer).</item>
/// <item>Compare-and-set the state row from the revision the worker read to the next (<see cref="StateStore.ApplyAsync"/>),
/// fenced by the worker's lease, unexpired by the database's clock, which the same statement renews. It goes first, so a
/// second writer for the entity waits on the row lock and then fails fast, having written nothing.</item>
/// <item>When the read starts over, empty the table; remove the rows a repair replaces outright.</item>
/// <item>Write the rows: a seed into an empty table copies them straight in (the dialect's bulk load), falling back to
/// the guarded upsert when an id is already there (a resumed or overlapping read); deltas always take the guarded
/// upsert, which never lets an older versionnumber replace a newer row.</item>
/// <item>Record the quarantined rows, and release entries whose record now fits.</item>
/// <item>Delete (or mark deleted) the page's deletes, log them to DeleteLog, release their quarantine entries.</item>
/// <item>With history, record the versions the page wrote or deleted; its ids are staged once for this and the deletes
/// (<see cref="PageIds"/>).</item>
/// <item>Commit. Any failure anywhere rolls all of it back, and the worker reads the page again.</item>
/// </list>
/// </summary>
internal sealed class PageCommitter(SqlDialect dialect, StateStore state, TimeProvider time, ILogger logger)
{
    private readonly EntitySql _sql = new(dialect);
    private readonly HistorySql _history = new(dialect);

    /// <summary>Runs the protocol on <paramref name="connection"/> (opened for writing by the caller).</summary>
    public async Task<CommitResult> CommitAsync(PageCommit commit, ScreenedRows screened, System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        var layout = commit.Layout;
        var table = commit.EffectiveTableName;
        var qualified = dialect.Table(table, layout.EntityName);
        var started = time.GetTimestamp();
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            await using var transaction = await dialect.BeginAsync(connection, lockDdl: false, ct).ConfigureAwait(false);
            var session = new SqlSession(connection, transaction);
            await state.ApplyAsync(session, commit.Change, now, ct).ConfigureAwait(false);
            if (commit.ClearTable)
            {
                await session.ExecuteAsync(_sql.Clear(qualified), ct).ConfigureAwait(false);
            }

            if (commit.Replace.Count > 0)
            {
                var replaced = await dialect.StageIdsAsync(session, PageRows.DistinctDeletes(commit.Replace), ct).ConfigureAwait(false);
                await using var remove = session.Command(_sql.HardDelete(qualified, replaced));
                replaced.Bind(remove);
                await remove.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            var rows = screened.Accepted;
            var written = rows.Count == 0 ? 0 : await WriteRowsAsync(session, commit, qualified, rows, now, ct).ConfigureAwait(false);
            var quarantined = screened.Quarantined.Count == 0
                ? 0
                : await state.QuarantineAsync(session, qualified, layout.EntityName, screened.Quarantined, now, ct).ConfigureAwait(false);
            if (rows.Count > 0)
            {
                await state.ReleaseWrittenAsync(session, qualified, layout.EntityName, ct).ConfigureAwait(false);
            }

            var deletes = PageRows.DistinctDeletes(commit.Deletes);
            var history = layout.Options.History && table == layout.TableName;
            var ids = await PageIds.StageAsync(dialect, session, layout, rows, deletes, history, ct).ConfigureAwait(false);
            var deleted = ids.Deletes is null ? 0 : await DeleteAsync(session, layout, qualified, ids.Deletes, now, ct).ConfigureAwait(false);
            if (history && ids.Touched is not null)
            {
                await RecordHistoryAsync(session, layout, qualified, ids.Touched, now, ct).ConfigureAwait(false);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);

            foreach (var entry in screened.Quarantined)
            {
                logger.RowQuarantined(table, entry.ColumnName, entry.RecordId, entry.VersionNumber, entry.Reason);
            }

            var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
            if (commit.ClearTable)
            {
                // Rare, and it removes every row an analyst could see: worth a line at Information, with what it cost.
                logger.TableStartedOver(table, written, elapsed);
            }

            logger.PageCommitted(layout.EntityName, table, commit.Mode.ToString(), written, deleted, elapsed);
            return new CommitResult(written, deleted, quarantined);
        }
        catch (RowRejectedException rejected)
        {
            logger.RowRejected(rejected.Table, rejected.Column, rejected.RowId, rejected.Reason);
            throw;
        }
    }

    /// <summary>Screens a page's rows (see the protocol's first step); throws <see cref="RowRejectedException"/> for a row without an id.</summary>
    public ScreenedRows Screen(PageCommit commit)
    {
        var layout = commit.Layout;
        var table = commit.EffectiveTableName;
        try
        {
            var compatibility = layout.Options.Compatibility;
            return commit.Upserts.Count == 0
                ? new ScreenedRows([], [])
                : RowScreen.Screen(layout, table, PageRows.Deduplicate(commit.Upserts, table), (c, v) => dialect.Problem(c, v, compatibility));
        }
        catch (RowRejectedException rejected)
        {
            logger.RowRejected(rejected.Table, rejected.Column, rejected.RowId, rejected.Reason);
            throw;
        }
    }

    private async Task<long> WriteRowsAsync(SqlSession session, PageCommit commit, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken ct)
    {
        var layout = commit.Layout;
        var table = commit.EffectiveTableName;
        if (commit.Mode == WriteMode.BulkLoad)
        {
            if (await dialect.TryBulkLoadAsync(session, layout, table, qualified, rows, now, ct).ConfigureAwait(false) is { } loaded)
            {
                return loaded;
            }

            // Some ids are already there (a resumed or overlapping read): the guarded upsert gives the same result.
            logger.BulkLoadFellBack(table);
        }

        return await dialect.UpsertRowsAsync(session, layout, table, qualified, rows, now, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The page's versions reach the history from the live table as it now stands (<see cref="HistorySql"/>): what the
    /// guarded upsert kept is a version, what is gone is a delete, and the chain of every id the page touched is closed.
    /// A re-seed's shadow pages record nothing here; their versions are recorded at the swap. <paramref name="ids"/> is
    /// every id the page wrote or deleted (<see cref="PageIds.Touched"/>).
    /// </summary>
    private async Task RecordHistoryAsync(SqlSession session, TableLayout layout, string qualified, IdList ids, DateTime now, CancellationToken ct)
    {
        foreach (var statement in _history.Record(layout, qualified, ids))
        {
            await using var command = session.Command(statement);
            command.Parameters.Add(dialect.Parameter(EntitySql.Now, ColumnStorageType.DateTime, now));
            ids.Bind(command);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task<long> DeleteAsync(SqlSession session, TableLayout layout, string qualified, IdList ids, DateTime now, CancellationToken ct)
    {
        long deleted;
        var soft = layout.Options.SoftDeletes;
        await using (var delete = session.Command(soft ? _sql.SoftDelete(qualified, ids) : _sql.HardDelete(qualified, ids)))
        {
            if (soft)
            {
                delete.Parameters.Add(dialect.Parameter(EntitySql.Now, ColumnStorageType.DateTime, now));
            }

            ids.Bind(delete);
            deleted = await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await state.LogDeletesAsync(session, layout.EntityName, ids, now, ct).ConfigureAwait(false);
        return deleted;
    }
}
