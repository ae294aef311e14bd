using Microsoft.Data.Sqlite;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// SQL for the replicator's own rows: EntityState (load, save, the compare-and-set a page commit or a swap makes, and
/// leases), SyncHistory, SchemaChange, DeleteLog, Quarantine and Command, in prefixed tables of the main database. Every
/// write runs on the target's single writer connection, so each statement here is atomic with respect to other writers.
/// </summary>
internal sealed class SqliteStateStore
{
    private const string ExpectedKind = "$ExpectedCursorKind";
    private const string ExpectedUrl = "$ExpectedCursorUrl";
    private const string ExpectedShadowKind = "$ExpectedShadowCursorKind";
    private const string ExpectedShadowUrl = "$ExpectedShadowCursorUrl";
    private const string FenceOwner = "$FenceOwner";
    private const string Now = "$FenceNow";

    private readonly string _select;
    private readonly string _compareAndSet;
    private readonly string _compareAndSetFenced;
    private readonly string _insertIfMissing;
    private readonly string _save;
    private readonly string _acquireLease;
    private readonly string _releaseLease;
    private readonly string _appendHistory;
    private readonly string _appendSchemaChange;
    private readonly string _logDelete;
    private readonly string _quarantine;
    private readonly string _quarantineTable;
    private readonly string _releaseDeleted;
    private readonly string _loadQuarantine;
    private readonly string _enqueue;
    private readonly string _claim;
    private readonly string _complete;
    private readonly string _getCommand;

    public SqliteStateStore(SqliteSchemaWriter names)
    {
        var state = Q(names.EntityStateTable);
        var columns = StateTables.EntityStateColumns;
        var list = string.Join(", ", columns.Select(c => Q(c.Name)));
        var values = string.Join(", ", columns.Select(c => P(c.Name)));
        var assignments = string.Join(", ", columns.Skip(1).Select(c => $"{Q(c.Name)} = {P(c.Name)}"));
        var fromExcluded = string.Join(", ", columns.Skip(1).Select(c => $"{Q(c.Name)} = excluded.{Q(c.Name)}"));
        var key = Q(StateTables.EntityName);

        _select = $"SELECT {list} FROM {state}";

        // IS is SQLite's null-safe equality (IS NOT DISTINCT FROM).
        _compareAndSet = $"UPDATE {state} SET {assignments} WHERE {key} = {P(StateTables.EntityName)} " +
                         $"AND {Q(StateTables.CursorKind)} IS {ExpectedKind} AND {Q(StateTables.CursorUrl)} IS {ExpectedUrl} " +
                         $"AND {Q(StateTables.ShadowCursorKind)} IS {ExpectedShadowKind} AND {Q(StateTables.ShadowCursorUrl)} IS {ExpectedShadowUrl}";
        _compareAndSetFenced = _compareAndSet + $" AND {Q(StateTables.LeaseOwner)} = {FenceOwner};";
        _compareAndSet += ";";
        _insertIfMissing = $"INSERT INTO {state} ({list}) VALUES ({values}) ON CONFLICT ({key}) DO NOTHING;";
        _save = $"INSERT INTO {state} ({list}) VALUES ({values}) ON CONFLICT ({key}) DO UPDATE SET {fromExcluded};";

        // Timestamps are fixed-width ISO-8601 text, so text comparison is time comparison.
        var owner = Q(StateTables.LeaseOwner);
        var expires = Q(StateTables.LeaseExpiresUtc);
        _acquireLease = $"INSERT INTO {state} ({list}) VALUES ({values}) ON CONFLICT ({key}) DO UPDATE " +
                        $"SET {owner} = excluded.{owner}, {expires} = excluded.{expires} " +
                        $"WHERE {state}.{owner} IS NULL OR {state}.{owner} = excluded.{owner} OR {state}.{expires} IS NULL OR {state}.{expires} <= {Now};";
        _releaseLease = $"UPDATE {state} SET {owner} = NULL, {expires} = NULL WHERE {key} = {P(StateTables.EntityName)} AND {owner} = {FenceOwner};";

        _appendHistory = Insert(Q(names.SyncHistoryTable), StateTables.SyncHistoryTable);
        _appendSchemaChange = Insert(Q(names.Owned(StateTables.SchemaChangeTable)), StateTables.SchemaChangeTable);
        _logDelete = $"INSERT INTO {Q(names.Owned(StateTables.DeleteLogTable))} ({Q("EntityName")}, {Q("RecordId")}, {Q("SinkDeleteTime")}, {Q("VersionNumber")}) " +
                     $"VALUES ($entity, {SqliteStatements.IdParameter}, {SqliteStatements.NowParameter}, NULL);";

        var quarantine = _quarantineTable = Q(names.Owned(StateTables.QuarantineTable));
        var q = StateTables.QuarantineColumns.Select(c => Q(c.Name)).ToArray();

        // The WHERE also keeps SQLite's parser from reading ON CONFLICT as a join constraint of the SELECT.
        _quarantine = $"INSERT INTO {quarantine} ({string.Join(", ", q)}) " +
                      $"SELECT $entity, {SqliteStatements.IdParameter}, $version, $column, $reason, {SqliteStatements.NowParameter} " +
                      "WHERE NOT EXISTS (SELECT 1 FROM {0} AS t WHERE t." + Q(SyncColumns.Id) + " = " + SqliteStatements.IdParameter + " AND t." + Q(SyncColumns.Version) + " > $version) " +
                      $"ON CONFLICT ({q[0]}, {q[1]}) DO UPDATE SET {q[2]} = excluded.{q[2]}, {q[3]} = excluded.{q[3]}, {q[4]} = excluded.{q[4]}, {q[5]} = excluded.{q[5]} " +
                      $"WHERE {quarantine}.{q[2]} <= excluded.{q[2]};";
        _releaseDeleted = $"DELETE FROM {quarantine} WHERE {q[0]} = $entity AND {q[1]} = {SqliteStatements.IdParameter};";
        _loadQuarantine = $"SELECT {string.Join(", ", q)} FROM {quarantine} WHERE {q[0]} = $entity ORDER BY {q[5]}, {q[1]};";

        var command = Q(names.Owned(StateTables.CommandTable));
        var all = string.Join(", ", StateTables.CommandColumns.Select(c => Q(c.Name)));
        var (enqueueColumns, enqueueValues) = StateTables.InsertLists(StateTables.CommandTable, Q, P);
        _enqueue = $"INSERT INTO {command} ({enqueueColumns}) VALUES ({enqueueValues}) RETURNING {Q("Id")};";

        // One writer: the UPDATE ... RETURNING (SQLite 3.35+) is atomic against any other claimer.
        _claim = $"UPDATE {command} SET {Q("Status")} = '{StateTables.Running}', {Q("PickedUpBy")} = $owner, {Q("PickedUpUtc")} = {Now} " +
                 $"WHERE {Q("Status")} = '{StateTables.Pending}' AND {Q("EntityName")} IN ({{0}}) RETURNING {all};";
        _complete = $"UPDATE {command} SET {Q("Status")} = $status, {Q("CompletedUtc")} = {Now}, {Q("Detail")} = $detail WHERE {Q("Id")} = $id;";
        _getCommand = $"SELECT {all} FROM {command} WHERE {Q("Id")} = $id;";
    }

    /// <summary>
    /// Replaces the entity's state row with <paramref name="state"/> only if its stored cursor and shadow cursor are the
    /// expected ones (null-safe) and, when <paramref name="leaseOwner"/> is set, the stored lease is that owner's and
    /// unexpired at <paramref name="now"/>; with no row yet, null expectations and no fencing insert it.
    /// </summary>
    public bool CompareAndSet(
        SqliteConnection connection, SqliteTransaction transaction, SyncCursor? expected, SyncCursor? expectedShadow, string? leaseOwner, DateTime now, EntityState state)
    {
        using (var update = new SqliteCommand(leaseOwner is null ? _compareAndSet : _compareAndSetFenced, connection, transaction))
        {
            AddStateParameters(update, state);
            update.Parameters.AddWithValue(ExpectedKind, (object?)expected?.Kind.ToString() ?? DBNull.Value);
            update.Parameters.AddWithValue(ExpectedUrl, (object?)expected?.Url ?? DBNull.Value);
            update.Parameters.AddWithValue(ExpectedShadowKind, (object?)expectedShadow?.Kind.ToString() ?? DBNull.Value);
            update.Parameters.AddWithValue(ExpectedShadowUrl, (object?)expectedShadow?.Url ?? DBNull.Value);
            if (leaseOwner is not null)
            {
                update.Parameters.AddWithValue(FenceOwner, leaseOwner);
                update.Parameters.AddWithValue(Now, SqliteValues.FormatDateTime(now));
            }

            if (update.ExecuteNonQuery() == 1)
            {
                return true;
            }
        }

        if (expected is not null || expectedShadow is not null || leaseOwner is not null)
        {
            return false;
        }

        using var insert = new SqliteCommand(_insertIfMissing, connection, transaction);
        AddStateParameters(insert, state);
        return insert.ExecuteNonQuery() == 1;
    }

    public void Save(SqliteConnection connection, EntityState state)
    {
        using var command = new SqliteCommand(_save, connection);
        AddStateParameters(command, state);
        command.ExecuteNonQuery();
    }

    public async Task<IReadOnlyList<EntityState>> LoadAsync(SqliteConnection connection, string? entityName, CancellationToken ct, SqliteTransaction? transaction = null)
    {
        var sql = entityName is null
            ? _select + $" ORDER BY {Q(StateTables.EntityName)};"
            : _select + $" WHERE {Q(StateTables.EntityName)} = {P(StateTables.EntityName)};";
        await using var command = new SqliteCommand(sql, connection, transaction);
        if (entityName is not null)
        {
            command.Parameters.AddWithValue(P(StateTables.EntityName), entityName);
        }

        var result = new List<EntityState>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(StateTables.FromValues(ReadRow(reader, StateTables.EntityStateColumns)));
        }

        return result;
    }

    public bool TryAcquireLease(SqliteConnection connection, string entityName, string owner, DateTime expiresUtc, DateTime now)
    {
        using var command = new SqliteCommand(_acquireLease, connection);
        AddStateParameters(command, new EntityState { EntityName = entityName, LeaseOwner = owner, LeaseExpiresUtc = expiresUtc, UpdatedUtc = now });
        command.Parameters.AddWithValue(Now, SqliteValues.FormatDateTime(now));
        return command.ExecuteNonQuery() == 1;
    }

    public void ReleaseLease(SqliteConnection connection, string entityName, string owner)
    {
        using var command = new SqliteCommand(_releaseLease, connection);
        command.Parameters.AddWithValue(P(StateTables.EntityName), entityName);
        command.Parameters.AddWithValue(FenceOwner, owner);
        command.ExecuteNonQuery();
    }

    public void AppendHistory(SqliteConnection connection, SyncHistoryEntry entry) =>
        Append(connection, _appendHistory, StateTables.SyncHistoryTable, StateTables.ToValues(entry));

    public void AppendSchemaChange(SqliteConnection connection, SchemaChangeEntry entry) =>
        Append(connection, _appendSchemaChange, StateTables.SchemaChangeTable, StateTables.ToValues(entry));

    /// <summary>The insert text for an append-only table: every column but the identity, one parameter each.</summary>
    private static string Insert(string quotedTable, OwnedTable owned)
    {
        var (names, values) = StateTables.InsertLists(owned, Q, P);
        return $"INSERT INTO {quotedTable} ({names}) VALUES ({values});";
    }

    /// <summary>Runs an <see cref="Insert"/> text with <paramref name="values"/> for the non-identity columns, in order.</summary>
    private static void Append(SqliteConnection connection, string sql, OwnedTable table, object?[] values)
    {
        using var command = new SqliteCommand(sql, connection);
        Bind(command, table, values);
        command.ExecuteNonQuery();
    }

    /// <summary>Adds <paramref name="values"/> as the parameters of the table's <see cref="OwnedTable.Writable"/> columns, in order.</summary>
    private static void Bind(SqliteCommand command, OwnedTable table, object?[] values)
    {
        var writable = table.Writable;
        for (var i = 0; i < writable.Count; i++)
        {
            command.Parameters.AddWithValue(P(writable[i].Name), SqliteValues.ToDb(values[i], writable[i].Type));
        }
    }

    /// <summary>A prepared DeleteLog insert; set <see cref="SqliteStatements.IdParameter"/> and run it per deleted id.</summary>
    public SqliteCommand LogDelete(SqliteConnection connection, SqliteTransaction transaction, string entityName, string now)
    {
        var command = new SqliteCommand(_logDelete, connection, transaction);
        command.Parameters.AddWithValue("$entity", entityName);
        command.Parameters.AddWithValue(SqliteStatements.NowParameter, now);
        command.Parameters.Add(SqliteStatements.IdParameter, SqliteType.Text);
        command.Prepare();
        return command;
    }

    /// <summary>A prepared removal of a deleted record's quarantine entry; set <see cref="SqliteStatements.IdParameter"/> per id.</summary>
    public SqliteCommand ReleaseDeleted(SqliteConnection connection, SqliteTransaction transaction, string entityName)
    {
        var command = new SqliteCommand(_releaseDeleted, connection, transaction);
        command.Parameters.AddWithValue("$entity", entityName);
        command.Parameters.Add(SqliteStatements.IdParameter, SqliteType.Text);
        command.Prepare();
        return command;
    }

    /// <summary>
    /// Records the page's rejected rows, one entry per record: a newer version replaces an older entry, an older one
    /// changes nothing, and a row whose table already holds a newer version is stale and not recorded.
    /// </summary>
    public long Quarantine(
        SqliteConnection connection, SqliteTransaction transaction, string quotedTable, string entityName, IReadOnlyList<QuarantineEntry> entries, string now)
    {
        using var command = new SqliteCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, _quarantine, quotedTable), connection, transaction);
        command.Parameters.AddWithValue("$entity", entityName);
        command.Parameters.AddWithValue(SqliteStatements.NowParameter, now);
        var id = command.Parameters.Add(SqliteStatements.IdParameter, SqliteType.Text);
        var version = command.Parameters.Add("$version", SqliteType.Integer);
        var column = command.Parameters.Add("$column", SqliteType.Text);
        var reason = command.Parameters.Add("$reason", SqliteType.Text);
        long written = 0;
        foreach (var entry in entries)
        {
            (id.Value, version.Value, column.Value, reason.Value) = (entry.RecordId.ToString("D"), entry.VersionNumber, entry.ColumnName, entry.Reason);
            written += command.ExecuteNonQuery();
        }

        return written;
    }

    /// <summary>Removes entries of records the table now holds at the quarantined version or later.</summary>
    public void ReleaseWritten(SqliteConnection connection, SqliteTransaction transaction, string quotedTable, string entityName)
    {
        using var command = new SqliteCommand(
            $"DELETE FROM {_quarantineTable} WHERE {Q(StateTables.EntityName)} = $entity AND EXISTS (SELECT 1 FROM {quotedTable} AS t " +
            $"WHERE t.{Q(SyncColumns.Id)} = {_quarantineTable}.{Q("RecordId")} AND t.{Q(SyncColumns.Version)} >= {_quarantineTable}.{Q("VersionNumber")});",
            connection,
            transaction);
        command.Parameters.AddWithValue("$entity", entityName);
        command.ExecuteNonQuery();
    }

    public async Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(SqliteConnection connection, string entityName, CancellationToken ct)
    {
        await using var command = new SqliteCommand(_loadQuarantine, connection);
        command.Parameters.AddWithValue("$entity", entityName);
        var result = new List<QuarantinedRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(StateTables.QuarantineFromValues(ReadRow(reader, StateTables.QuarantineColumns)));
        }

        return result;
    }

    public long EnqueueCommand(SqliteConnection connection, SyncCommand command, DateTime now)
    {
        using var insert = new SqliteCommand(_enqueue, connection);
        object?[] values =
        [
            command.EntityName, command.Kind, command.RequestedUtc == default ? now : UtcDateTime.AsUtc(command.RequestedUtc),
            command.RequestedBy, StateTables.Pending, null, null, null, command.Detail,
        ];
        Bind(insert, StateTables.CommandTable, values);
        return (long)insert.ExecuteScalar()!;
    }

    public IReadOnlyList<SyncCommand> ClaimCommands(SqliteConnection connection, IReadOnlyCollection<string> entityNames, string owner, DateTime now)
    {
        var names = entityNames.Select((_, i) => "$e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        using var command = new SqliteCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, _claim, string.Join(", ", names)), connection);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue(Now, SqliteValues.FormatDateTime(now));
        var i = 0;
        foreach (var name in entityNames)
        {
            command.Parameters.AddWithValue(names[i++], name);
        }

        return ReadCommands(command).OrderBy(c => c.Id).ToList();
    }

    public bool CompleteCommand(SqliteConnection connection, long id, bool succeeded, string? detail, DateTime now)
    {
        using var command = new SqliteCommand(_complete, connection);
        command.Parameters.AddWithValue("$status", succeeded ? StateTables.Completed : StateTables.Failed);
        command.Parameters.AddWithValue(Now, SqliteValues.FormatDateTime(now));
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() == 1;
    }

    public SyncCommand? GetCommand(SqliteConnection connection, long id)
    {
        using var command = new SqliteCommand(_getCommand, connection);
        command.Parameters.AddWithValue("$id", id);
        return ReadCommands(command).SingleOrDefault();
    }

    private static List<SyncCommand> ReadCommands(SqliteCommand command)
    {
        var result = new List<SyncCommand>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(StateTables.CommandFromValues(ReadRow(reader, StateTables.CommandColumns)));
        }

        return result;
    }

    private static object?[] ReadRow(SqliteDataReader reader, IReadOnlyList<StateColumn> columns)
    {
        var values = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            values[i] = SqliteValues.Read(reader, i, columns[i].Type);
        }

        return values;
    }

    private static void AddStateParameters(SqliteCommand command, EntityState state)
    {
        var values = StateTables.ToValues(state);
        var columns = StateTables.EntityStateColumns;
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.AddWithValue(P(columns[i].Name), SqliteValues.ToDb(values[i], columns[i].Type));
        }
    }

    private static string P(string name) => "$" + name;

    private static string Q(string trustedName) => SqliteIdentifier.Quote(trustedName, "column");
}
