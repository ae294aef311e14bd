using System.Data.Common;
using Microsoft.Extensions.Logging;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// Reads and writes the replicator's own rows on a session the caller opened (so state changes join the caller's
/// transaction: a page, a shadow table, a swap). The one place a state row changes: <see cref="ApplyAsync"/>, a
/// compare-and-set on the revision, fenced by the lease by the database's clock.
/// </summary>
internal sealed class StateStore(SqlDialect dialect, ILogger logger)
{
    private readonly StateSql _sql = new(dialect);

    public StateSql Sql => _sql;

    public async Task<IReadOnlyList<EntityState>> LoadAsync(SqlSession session, string? entityName, CancellationToken ct)
    {
        var filter = entityName is null ? "" : $" WHERE {dialect.Quote(StateTables.EntityName)} = {StateSql.Entity}";
        var order = $" ORDER BY {dialect.Quote(StateTables.EntityName)}";
        var parameters = entityName is null ? [] : new[] { EntityParameter(entityName) };
        List<EntityState> states;
        await using (var command = session.Command(_sql.SelectStates + filter + order + ";", parameters))
        {
            states = await SqlSession.ReadAllAsync(command, r => StateTables.FromValues(ReadRow(r, StateTables.EntityStateColumns)), ct).ConfigureAwait(false);
        }

        if (!states.Any(s => s.ParallelSeed is not null))
        {
            return states;
        }

        parameters = entityName is null ? [] : new[] { EntityParameter(entityName) };
        List<(string Entity, int Ordinal, SeedRange Range)> ranges;
        await using (var command = session.Command(_sql.SelectRanges + filter + order + $", {dialect.Quote("Ordinal")};", parameters))
        {
            ranges = await SqlSession.ReadAllAsync(command, r => StateTables.SeedRangeFromValues(ReadRow(r, StateTables.SeedRangeColumns)), ct).ConfigureAwait(false);
        }

        return states.Select(s => s.ParallelSeed is null
            ? s
            : s with { ParallelSeed = s.ParallelSeed with { Ranges = ranges.Where(r => r.Entity == s.EntityName).Select(r => r.Range).ToList() } }).ToList();
    }

    /// <summary>Inserts <paramref name="initial"/> unless the entity has a row; returns the stored row.</summary>
    public async Task<EntityState> CreateAsync(SqlSession session, EntityState initial, CancellationToken ct)
    {
        await session.ExecuteAsync(_sql.InsertIfMissing, ct, StateParameters(initial with { Revision = 0, ParallelSeed = null })).ConfigureAwait(false);
        return (await LoadAsync(session, initial.EntityName, ct).ConfigureAwait(false)).Single();
    }

    /// <summary>
    /// The state change, inside the caller's transaction: the compare-and-set on the revision (fenced when the change
    /// has a fence), then the parallel seed's ranges, the history entry and the command updates that ride with it.
    /// </summary>
    /// <exception cref="LeaseLostException">Fenced, and the lease is gone, another owner's, or expired by the database's clock.</exception>
    /// <exception cref="CursorConflictException">The stored revision is not the one the change started from.</exception>
    public async Task ApplyAsync(SqlSession session, StateChange change, DateTime now, CancellationToken ct)
    {
        var stored = change.Stored;
        var entity = stored.EntityName;
        var fence = change.Fence;
        List<DbParameter> parameters =
        [
            .. StateParameters(stored, [StateTables.LeaseOwner, StateTables.LeaseExpiresUtc]),
            dialect.Parameter(StateSql.ExpectedRevision, ColumnStorageType.Int64, change.From.Revision),
        ];
        if (fence is not null)
        {
            parameters.Add(dialect.Parameter(StateSql.FenceOwner, ColumnStorageType.String, fence.Owner, 256));
            parameters.Add(dialect.DurationParameter(StateSql.LeaseDuration, fence.Duration));
        }

        if (await session.ExecuteAsync(fence is null ? _sql.CompareAndSet : _sql.CompareAndSetFenced, ct, parameters).ConfigureAwait(false) != 1)
        {
            throw await ConflictAsync(session, entity, fence, ct).ConfigureAwait(false);
        }

        await WriteRangesAsync(session, entity, change.From.ParallelSeed, stored.ParallelSeed, ct).ConfigureAwait(false);
        if (change.History is { } history)
        {
            await AppendAsync(session, _sql.AppendHistory, StateTables.SyncHistoryTable, StateTables.ToValues(history), ct).ConfigureAwait(false);
        }

        if (change.Commands is { } commands)
        {
            await UpdateCommandsAsync(session, entity, commands, now, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Why a compare-and-set failed: with fencing, a lease that is not held is <see cref="LeaseLostException"/>.</summary>
    private async Task<CursorConflictException> ConflictAsync(SqlSession session, string entity, LeaseFence? fence, CancellationToken ct)
    {
        if (fence is not null)
        {
            var held = await session.ScalarAsync(
                _sql.LeaseHeld, ct, EntityParameter(entity), dialect.Parameter(StateSql.FenceOwner, ColumnStorageType.String, fence.Owner, 256)).ConfigureAwait(false);
            if (held is null || Convert.ToInt32(held, System.Globalization.CultureInfo.InvariantCulture) != 1)
            {
                logger.LeaseLost(entity, fence.Owner);
                return new LeaseLostException(entity, fence.Owner);
            }
        }

        logger.CursorConflict(entity);
        return new CursorConflictException(entity);
    }

    /// <summary>Keeps SeedRange in line with the change: only ranges that moved are written.</summary>
    private async Task WriteRangesAsync(SqlSession session, string entity, ParallelSeedProgress? from, ParallelSeedProgress? to, CancellationToken ct)
    {
        var before = from?.Ranges ?? [];
        var after = to?.Ranges ?? [];
        var start = 0;
        if (after.Count < before.Count || (before.Count > 0 && to is null))
        {
            await session.ExecuteAsync(_sql.DeleteRanges, ct, EntityParameter(entity)).ConfigureAwait(false);
            before = [];
        }

        for (; start < before.Count; start++)
        {
            if (before[start] != after[start])
            {
                await session.ExecuteAsync(
                    _sql.UpdateRange,
                    ct,
                    EntityParameter(entity),
                    dialect.Parameter("@Ordinal", ColumnStorageType.Int32, start),
                    dialect.Parameter("@NextLink", ColumnStorageType.String, after[start].Next),
                    dialect.Parameter("@Done", ColumnStorageType.Boolean, after[start].Done)).ConfigureAwait(false);
            }
        }

        for (var i = before.Count; i < after.Count; i++)
        {
            await AppendAsync(session, _sql.InsertRange, StateTables.SeedRangeTable, StateTables.ToValues(entity, i, after[i]), ct).ConfigureAwait(false);
        }
    }

    private async Task UpdateCommandsAsync(SqlSession session, string entity, CommandUpdate update, DateTime now, CancellationToken ct)
    {
        List<DbParameter> parameters = [EntityParameter(entity), dialect.Parameter(StateSql.Now, ColumnStorageType.DateTime, now)];
        parameters.AddRange(update.Ids.Select((id, i) => dialect.Parameter(StateSql.CommandParameter(i), ColumnStorageType.Int64, id)));
        string sql;
        switch (update.Action)
        {
            case CommandAction.Claim:
                sql = _sql.ClaimCommands(update.Ids.Count);
                parameters.Add(dialect.Parameter("@Owner", ColumnStorageType.String, update.Owner, 256));
                break;
            case CommandAction.CompleteRunningReseeds:
                sql = _sql.CompleteRunningReseeds;
                parameters.Add(dialect.Parameter("@Detail", ColumnStorageType.String, update.Detail));
                break;
            default:
                sql = _sql.FinishCommands(update.Ids.Count);
                parameters.Add(dialect.Parameter("@Status", ColumnStorageType.String, update.Action == CommandAction.Complete ? StateTables.Completed : StateTables.Failed, 16));
                parameters.Add(dialect.Parameter("@Detail", ColumnStorageType.String, update.Detail));
                break;
        }

        if (update.Ids.Count > 0 || update.Action == CommandAction.CompleteRunningReseeds)
        {
            await session.ExecuteAsync(sql, ct, parameters).ConfigureAwait(false);
        }
    }

    public async Task<bool> TryAcquireLeaseAsync(SqlSession session, string entityName, string owner, TimeSpan duration, DateTime now, CancellationToken ct)
    {
        var fresh = new EntityState { EntityName = entityName, LeaseOwner = owner, UpdatedUtc = now };
        return await session.ExecuteAsync(_sql.AcquireLease, ct, [.. StateParameters(fresh, [StateTables.LeaseExpiresUtc]), dialect.DurationParameter(StateSql.LeaseDuration, duration)])
            .ConfigureAwait(false) == 1;
    }

    public Task ReleaseLeaseAsync(SqlSession session, string entityName, string owner, CancellationToken ct) =>
        session.ExecuteAsync(_sql.ReleaseLease, ct, EntityParameter(entityName), dialect.Parameter(StateSql.FenceOwner, ColumnStorageType.String, owner, 256));

    public Task AppendHistoryAsync(SqlSession session, SyncHistoryEntry entry, CancellationToken ct) =>
        AppendAsync(session, _sql.AppendHistory, StateTables.SyncHistoryTable, StateTables.ToValues(entry), ct);

    public Task AppendSchemaChangeAsync(SqlSession session, SchemaChangeEntry entry, CancellationToken ct) =>
        AppendAsync(session, _sql.AppendSchemaChange, StateTables.SchemaChangeTable, StateTables.ToValues(entry), ct);

    public async Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(SqlSession session, string entityName, CancellationToken ct)
    {
        await using var command = session.Command(_sql.LoadQuarantine, EntityParameter(entityName));
        return await SqlSession.ReadAllAsync(command, r => StateTables.QuarantineFromValues(ReadRow(r, StateTables.QuarantineColumns)), ct).ConfigureAwait(false);
    }

    /// <summary>Records the page's rejected rows (see <see cref="StateSql.Quarantine"/>); returns the entries written.</summary>
    public async Task<long> QuarantineAsync(
        SqlSession session, string qualifiedTable, string entityName, IReadOnlyList<QuarantineEntry> entries, DateTime now, CancellationToken ct)
    {
        long written = 0;
        var sql = _sql.Quarantine(qualifiedTable);
        foreach (var entry in entries)
        {
            var changed = await session.ExecuteAsync(
                sql,
                ct,
                EntityParameter(entityName),
                dialect.Parameter("@RecordId", ColumnStorageType.Guid, entry.RecordId),
                dialect.Parameter("@VersionNumber", ColumnStorageType.Int64, entry.VersionNumber),
                dialect.Parameter("@ColumnName", ColumnStorageType.String, entry.ColumnName, 128),
                dialect.Parameter("@Reason", ColumnStorageType.String, entry.Reason),
                dialect.Parameter(StateSql.Now, ColumnStorageType.DateTime, now)).ConfigureAwait(false);
            written += Math.Max(0, changed);
        }

        return written;
    }

    public Task ReleaseWrittenAsync(SqlSession session, string qualifiedTable, string entityName, CancellationToken ct) =>
        session.ExecuteAsync(_sql.ReleaseWritten(qualifiedTable), ct, EntityParameter(entityName));

    /// <summary>Logs the page's deletes to DeleteLog and releases their quarantine entries.</summary>
    public async Task LogDeletesAsync(SqlSession session, string entityName, IdList ids, DateTime now, CancellationToken ct)
    {
        await using (var log = session.Command(_sql.LogDeletes(ids), EntityParameter(entityName), dialect.Parameter(StateSql.Now, ColumnStorageType.DateTime, now)))
        {
            ids.Bind(log);
            await log.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using var release = session.Command(_sql.ReleaseDeleted(ids), EntityParameter(entityName));
        ids.Bind(release);
        await release.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<long> EnqueueCommandAsync(SqlSession session, SyncCommand command, DateTime now, CancellationToken ct)
    {
        object?[] values =
        [
            command.EntityName, command.Kind, command.RequestedUtc == default ? now : UtcDateTime.AsUtc(command.RequestedUtc),
            command.RequestedBy, StateTables.Pending, null, null, null, command.Detail,
        ];
        var id = await session.ScalarAsync(_sql.Enqueue, ct, OwnedParameters(StateTables.CommandTable, values)).ConfigureAwait(false);
        return Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<SyncCommand>> OpenCommandsAsync(SqlSession session, string entityName, CancellationToken ct)
    {
        await using var command = session.Command(_sql.OpenCommands, EntityParameter(entityName));
        return await SqlSession.ReadAllAsync(command, r => StateTables.CommandFromValues(ReadRow(r, StateTables.CommandColumns)), ct).ConfigureAwait(false);
    }

    public async Task<SyncCommand?> GetCommandAsync(SqlSession session, long id, CancellationToken ct)
    {
        await using var command = session.Command(_sql.GetCommand, dialect.Parameter("@Id", ColumnStorageType.Int64, id));
        return (await SqlSession.ReadAllAsync(command, r => StateTables.CommandFromValues(ReadRow(r, StateTables.CommandColumns)), ct).ConfigureAwait(false))
            .SingleOrDefault();
    }

    /// <summary>Replaces the replica's report, and drops the reports of replicas gone for a day.</summary>
    public async Task ReportWorkerAsync(SqlSession session, WorkerReport report, CancellationToken ct)
    {
        await session.ExecuteAsync(_sql.UpsertWorker, ct, OwnedParameters(StateTables.WorkerStatusTable, StateTables.ToValues(report))).ConfigureAwait(false);
        await session.ExecuteAsync(
            _sql.DropStaleWorkers, ct, dialect.Parameter("@Before", ColumnStorageType.DateTime, UtcDateTime.AsUtc(report.UpdatedUtc) - StaleWorkerReport)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WorkerReport>> LoadWorkerReportsAsync(SqlSession session, CancellationToken ct)
    {
        await using var command = session.Command(_sql.SelectWorkers);
        return await SqlSession.ReadAllAsync(command, r => StateTables.WorkerReportFromValues(ReadRow(r, StateTables.WorkerStatusColumns)), ct).ConfigureAwait(false);
    }

    /// <summary>How long a replica's report outlives it: long enough to see that a replica stopped, short enough not to pile up.</summary>
    private static readonly TimeSpan StaleWorkerReport = TimeSpan.FromDays(1);

    /// <summary>Runs an insert of an owned table's writable columns with <paramref name="values"/>, in order.</summary>
    private Task AppendAsync(SqlSession session, string sql, OwnedTable table, object?[] values, CancellationToken ct) =>
        session.ExecuteAsync(sql, ct, OwnedParameters(table, values));

    /// <summary>The parameters of an owned table's writable columns, named after them.</summary>
    public IEnumerable<DbParameter> OwnedParameters(OwnedTable table, object?[] values) =>
        table.Writable.Select((c, i) => dialect.Parameter(StateSql.P(c.Name), c.Type, values[i], c.MaxLength));

    public object?[] ReadRow(DbDataReader reader, IReadOnlyList<StateColumn> columns)
    {
        var values = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            values[i] = dialect.Read(reader, i, columns[i].Type);
        }

        return values;
    }

    /// <summary>A parameter per state column but those the statement does not use (<paramref name="omit"/>).</summary>
    private IEnumerable<DbParameter> StateParameters(EntityState state, params IReadOnlyCollection<string> omit)
    {
        var values = StateTables.ToValues(state);
        var columns = StateTables.EntityStateColumns;
        for (var i = 0; i < columns.Count; i++)
        {
            if (!omit.Contains(columns[i].Name))
            {
                yield return dialect.Parameter(StateSql.P(columns[i].Name), columns[i].Type, values[i], columns[i].MaxLength);
            }
        }
    }

    private DbParameter EntityParameter(string entityName) => dialect.Parameter(StateSql.Entity, ColumnStorageType.String, entityName, 128);
}
