using System.Globalization;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// Statement text for the replicator's own rows (EntityState, SeedRange, SyncHistory, SchemaChange, DeleteLog, Quarantine,
/// Command), written once over the dialect's spellings. Parameters are named after their columns (<c>@Status</c>); the
/// compare-and-set adds <c>@ExpectedRevision</c>, and the fence <c>@FenceOwner</c> and <c>@LeaseDuration</c>. The fence and
/// every lease comparison use the database's clock, never the worker's.
/// </summary>
internal sealed class StateSql
{
    public const string ExpectedRevision = "@ExpectedRevision";
    public const string FenceOwner = "@FenceOwner";
    public const string LeaseDuration = "@LeaseDuration";
    public const string Entity = "@" + StateTables.EntityName;
    public const string Now = "@now";

    private readonly SqlDialect _dialect;
    private readonly string _state;
    private readonly string _commands;
    private readonly string _quarantine;

    public StateSql(SqlDialect dialect)
    {
        _dialect = dialect;
        _state = dialect.Owned(StateTables.EntityStateTable);
        _commands = dialect.Owned(StateTables.CommandTable);
        _quarantine = dialect.Owned(StateTables.QuarantineTable);
        var columns = StateTables.EntityStateColumns;
        var key = Q(StateTables.EntityName);

        SelectStates = $"SELECT {List(columns)} FROM {_state}";
        var assignments = string.Join(", ", columns.Where(c => !StateTables.NotChangedByState.Contains(c.Name)).Select(c => $"{Q(c.Name)} = {P(c.Name)}"));
        var compareAndSet = $"UPDATE {_state} SET {assignments}";
        var where = $" WHERE {key} = {Entity} AND COALESCE({Q(StateTables.Revision)}, 0) = {ExpectedRevision}";
        CompareAndSet = compareAndSet + where + ";";
        CompareAndSetFenced = compareAndSet + $", {Q(StateTables.LeaseExpiresUtc)} = {dialect.UtcNowPlus(LeaseDuration)}" + where + " AND " + LeaseHeldBy(null) + ";";

        var all = columns.Select(c => Q(c.Name)).ToList();
        InsertIfMissing = dialect.Upsert(new UpsertSpec
        {
            Table = _state,
            Columns = all,
            Values = columns.Select(c => P(c.Name)).ToList(),
            Key = [key],
        });

        // One statement: a missing row is inserted holding the lease; an existing one is taken only when free, expired by
        // the database's clock or already ours. The row lock the upsert takes makes two workers racing see one winner.
        var owner = Q(StateTables.LeaseOwner);
        var expires = Q(StateTables.LeaseExpiresUtc);
        AcquireLease = dialect.Upsert(new UpsertSpec
        {
            Table = _state,
            Columns = all,
            Values = columns.Select(c => c.Name == StateTables.LeaseExpiresUtc ? dialect.UtcNowPlus(LeaseDuration) : P(c.Name)).ToList(),
            Key = [key],
            Update = [owner, expires],
            When = (t, s) => $"{t}.{owner} IS NULL OR {t}.{owner} = {s}.{owner} OR {t}.{expires} IS NULL OR {t}.{expires} <= {dialect.UtcNow}",
        });
        ReleaseLease = $"UPDATE {_state} SET {owner} = NULL, {expires} = NULL WHERE {key} = {Entity} AND {owner} = {FenceOwner};";
        LeaseHeld = $"SELECT CASE WHEN {LeaseHeldBy(null)} THEN 1 ELSE 0 END FROM {_state} WHERE {key} = {Entity};";

        AppendHistory = Insert(StateTables.SyncHistoryTable);
        AppendSchemaChange = Insert(StateTables.SchemaChangeTable);

        var ranges = dialect.Owned(StateTables.SeedRangeTable);
        var rangeColumns = StateTables.SeedRangeColumns;
        SelectRanges = $"SELECT {List(rangeColumns)} FROM {ranges}";
        DeleteRanges = $"DELETE FROM {ranges} WHERE {key} = {Entity};";
        InsertRange = Insert(StateTables.SeedRangeTable);
        UpdateRange = $"UPDATE {ranges} SET {Q("NextLink")} = @NextLink, {Q("Done")} = @Done WHERE {key} = {Entity} AND {Q("Ordinal")} = @Ordinal;";

        var q = StateTables.QuarantineColumns.Select(c => Q(c.Name)).ToList();
        LoadQuarantine = $"SELECT {string.Join(", ", q)} FROM {_quarantine} WHERE {q[0]} = {Entity} ORDER BY {q[5]}, {q[1]};";

        var commandColumns = List(StateTables.CommandColumns);
        var (enqueueColumns, enqueueValues) = StateTables.InsertLists(StateTables.CommandTable, Q, P);
        Enqueue = dialect.InsertReturning(_commands, enqueueColumns, enqueueValues, Q("Id"));
        var open = $"{Q("Status")} IN ('{StateTables.Pending}', '{StateTables.Running}')";
        OpenCommands = $"SELECT {commandColumns} FROM {_commands} WHERE {key} = {Entity} AND {open} ORDER BY {Q("Id")};";
        GetCommand = $"SELECT {commandColumns} FROM {_commands} WHERE {Q("Id")} = @Id;";
        CompleteRunningReseeds =
            $"UPDATE {_commands} SET {Q("Status")} = '{StateTables.Completed}', {Q("CompletedUtc")} = {Now}, {Q("Detail")} = @Detail " +
            $"WHERE {key} = {Entity} AND {Q("Status")} = '{StateTables.Running}' AND {Q("Kind")} = 'Reseed';";
        _openCommands = open;

        var workers = dialect.Owned(StateTables.WorkerStatusTable);
        var workerColumns = StateTables.WorkerStatusColumns;
        UpsertWorker = dialect.Upsert(new UpsertSpec
        {
            Table = workers,
            Columns = workerColumns.Select(c => Q(c.Name)).ToList(),
            Values = workerColumns.Select(c => P(c.Name)).ToList(),
            Key = [Q("WorkerId")],
            Update = workerColumns.Skip(1).Select(c => Q(c.Name)).ToList(),
        });
        SelectWorkers = $"SELECT {List(workerColumns)} FROM {workers} ORDER BY {Q("WorkerId")};";
        DropStaleWorkers = $"DELETE FROM {workers} WHERE {Q("UpdatedUtc")} < @Before;";
    }

    private readonly string _openCommands;

    public string SelectStates { get; }
    public string CompareAndSet { get; }
    public string CompareAndSetFenced { get; }
    public string InsertIfMissing { get; }
    public string AcquireLease { get; }
    public string ReleaseLease { get; }
    public string LeaseHeld { get; }
    public string AppendHistory { get; }
    public string AppendSchemaChange { get; }
    public string SelectRanges { get; }
    public string DeleteRanges { get; }
    public string InsertRange { get; }
    public string UpdateRange { get; }
    public string LoadQuarantine { get; }
    public string Enqueue { get; }
    public string OpenCommands { get; }
    public string GetCommand { get; }
    public string CompleteRunningReseeds { get; }
    public string UpsertWorker { get; }
    public string SelectWorkers { get; }
    public string DropStaleWorkers { get; }

    /// <summary>Claims the listed open commands for <c>@Owner</c> (parameters <c>@c0</c>, <c>@c1</c>, ...).</summary>
    public string ClaimCommands(int count) =>
        $"UPDATE {_commands} SET {Q("Status")} = '{StateTables.Running}', {Q("PickedUpBy")} = @Owner, {Q("PickedUpUtc")} = {Now} " +
        $"WHERE {Q(StateTables.EntityName)} = {Entity} AND {_openCommands} AND {Q("Id")} IN ({IdParameters(count)});";

    /// <summary>Finishes the listed open commands with <c>@Status</c> and <c>@Detail</c>.</summary>
    public string FinishCommands(int count) =>
        $"UPDATE {_commands} SET {Q("Status")} = @Status, {Q("CompletedUtc")} = {Now}, {Q("Detail")} = @Detail " +
        $"WHERE {Q(StateTables.EntityName)} = {Entity} AND {_openCommands} AND {Q("Id")} IN ({IdParameters(count)});";

    public static string CommandParameter(int i) => "@c" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One DeleteLog row per deleted id, in page order; RecordId is the guid as lowercase text, as Dataverse writes it,
    /// VersionNumber unknown (a delta's delete carries none).
    /// </summary>
    public string LogDeletes(IdList ids) =>
        $"INSERT INTO {_dialect.Owned(StateTables.DeleteLogTable)} ({Q("EntityName")}, {Q("RecordId")}, {Q("SinkDeleteTime")}, {Q("VersionNumber")}) " +
        $"SELECT {Entity}, {ids.IdText}, {Now}, NULL FROM {ids.Rows} ORDER BY {ids.Position};";

    /// <summary>
    /// Records one row the table cannot hold, one entry per record: a newer version replaces an older entry, an older
    /// one changes nothing, and a row whose table already holds a newer version is stale and not recorded.
    /// </summary>
    public string Quarantine(string qualifiedTable)
    {
        var columns = StateTables.QuarantineColumns;
        var version = Q("VersionNumber");
        return _dialect.Upsert(new UpsertSpec
        {
            Table = _quarantine,
            Columns = columns.Select(c => Q(c.Name)).ToList(),
            Values = columns.Select(c => c.Name == "AtUtc" ? Now : P(c.Name)).ToList(),
            Key = [Q(StateTables.EntityName), Q("RecordId")],
            Update = [version, Q("ColumnName"), Q("Reason"), Q("AtUtc")],
            When = (t, s) => $"{t}.{version} <= {s}.{version}",
            OnlyIf = $"NOT EXISTS (SELECT 1 FROM {qualifiedTable} AS x WHERE x.{Q(SyncColumns.Id)} = @RecordId AND x.{Q(SyncColumns.Version)} > @VersionNumber)",
        });
    }

    /// <summary>Removes the entries of records the table now holds at the quarantined version or later (a later version fit).</summary>
    public string ReleaseWritten(string qualifiedTable) =>
        $"{_dialect.DeleteFrom(_quarantine, "q")} WHERE q.{Q(StateTables.EntityName)} = {Entity} AND EXISTS (SELECT 1 FROM {qualifiedTable} AS t " +
        $"WHERE t.{Q(SyncColumns.Id)} = q.{Q("RecordId")} AND t.{Q(SyncColumns.Version)} >= q.{Q("VersionNumber")});";

    /// <summary>Removes the entries of deleted records.</summary>
    public string ReleaseDeleted(IdList ids) => $"DELETE FROM {_quarantine} WHERE {Q(StateTables.EntityName)} = {Entity} AND {Q("RecordId")} {ids.In};";

    /// <summary>The stored lease is <c>@FenceOwner</c>'s and unexpired by the database's clock (<paramref name="alias"/>: a table alias, or none).</summary>
    private string LeaseHeldBy(string? alias)
    {
        var prefix = alias is null ? "" : alias + ".";
        return $"{prefix}{Q(StateTables.LeaseOwner)} = {FenceOwner} AND {prefix}{Q(StateTables.LeaseExpiresUtc)} > {_dialect.UtcNow}";
    }

    private string Insert(OwnedTable table)
    {
        var (columns, values) = StateTables.InsertLists(table, Q, P);
        return $"INSERT INTO {_dialect.Owned(table)} ({columns}) VALUES ({values});";
    }

    private static string IdParameters(int count) => string.Join(", ", Enumerable.Range(0, count).Select(CommandParameter));

    private string List(IEnumerable<StateColumn> columns) => string.Join(", ", columns.Select(c => Q(c.Name)));

    private string Q(string trustedName) => _dialect.Quote(trustedName);

    public static string P(string column) => "@" + column;
}
