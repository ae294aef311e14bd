using System.Text;
using Npgsql;
using NpgsqlTypes;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// SQL for the replicator's own rows: EntityState (load, save, the compare-and-set a page commit or a swap makes, and
/// leases), SyncHistory, SchemaChange, DeleteLog, Quarantine and Command. Statement text is built once per target; the
/// per-page statements are prepared, so each pooled connection parses and plans them once.
/// </summary>
internal sealed class PostgreSqlStateStore
{
    private const string ExpectedKind = "ExpectedCursorKind";
    private const string ExpectedUrl = "ExpectedCursorUrl";
    private const string ExpectedShadowKind = "ExpectedShadowCursorKind";
    private const string ExpectedShadowUrl = "ExpectedShadowCursorUrl";
    private const string FenceOwner = "FenceOwner";
    private const string Now = "FenceNow";

    private readonly string _select;
    private readonly string _compareAndSet;
    private readonly string _compareAndSetFenced;
    private readonly string _insertIfMissing;
    private readonly string _save;
    private readonly string _appendHistory;
    private readonly string _appendSchemaChange;
    private readonly string _logDeletes;
    private readonly string _acquireLease;
    private readonly string _releaseLease;
    private readonly string _quarantine;
    private readonly string _releaseDeleted;
    private readonly string _loadQuarantine;
    private readonly string _enqueue;
    private readonly string _claim;
    private readonly string _complete;
    private readonly string _getCommand;
    private readonly string _quarantineTable;

    public PostgreSqlStateStore(PostgreSqlSchemaWriter names)
    {
        var state = names.Owned(StateTables.EntityStateTable);
        var history = names.Owned(StateTables.SyncHistoryTable);
        var deleteLog = names.Owned(StateTables.DeleteLogTable);
        var quarantine = _quarantineTable = names.Owned(StateTables.QuarantineTable);
        var command = names.Owned(StateTables.CommandTable);
        var columns = StateTables.EntityStateColumns;
        var list = string.Join(", ", columns.Select(c => Q(c.Name)));
        var values = string.Join(", ", columns.Select(c => "@" + c.Name));
        var assignments = string.Join(", ", columns.Skip(1).Select(c => $"{Q(c.Name)} = @{c.Name}"));
        var fromExcluded = string.Join(", ", columns.Skip(1).Select(c => $"{Q(c.Name)} = excluded.{Q(c.Name)}"));
        var key = Q(StateTables.EntityName);

        _select = $"SELECT {list} FROM {state}";
        _compareAndSet = new StringBuilder()
            .Append("UPDATE ").Append(state).Append(" SET ").Append(assignments)
            .Append(" WHERE ").Append(key).Append(" = @").Append(StateTables.EntityName)
            .Append(" AND ").Append(Q(StateTables.CursorKind)).Append(" IS NOT DISTINCT FROM @").Append(ExpectedKind)
            .Append(" AND ").Append(Q(StateTables.CursorUrl)).Append(" IS NOT DISTINCT FROM @").Append(ExpectedUrl)
            .Append(" AND ").Append(Q(StateTables.ShadowCursorKind)).Append(" IS NOT DISTINCT FROM @").Append(ExpectedShadowKind)
            .Append(" AND ").Append(Q(StateTables.ShadowCursorUrl)).Append(" IS NOT DISTINCT FROM @").Append(ExpectedShadowUrl)
            .ToString();
        _compareAndSetFenced = _compareAndSet +
                               $" AND {Q(StateTables.LeaseOwner)} = @{FenceOwner};";
        _compareAndSet += ";";
        _insertIfMissing = $"INSERT INTO {state} ({list}) VALUES ({values}) ON CONFLICT ({key}) DO NOTHING;";
        _save = $"INSERT INTO {state} ({list}) VALUES ({values}) ON CONFLICT ({key}) DO UPDATE SET {fromExcluded};";

        // One statement: a missing row is inserted holding the lease; an existing one is taken only when free, expired
        // or already ours. The row lock ON CONFLICT takes makes two workers racing for it see exactly one success.
        var owner = Q(StateTables.LeaseOwner);
        var expires = Q(StateTables.LeaseExpiresUtc);
        _acquireLease = $"INSERT INTO {state} AS s ({list}) VALUES ({values}) ON CONFLICT ({key}) DO UPDATE " +
                        $"SET {owner} = excluded.{owner}, {expires} = excluded.{expires} " +
                        $"WHERE s.{owner} IS NULL OR s.{owner} = excluded.{owner} OR s.{expires} IS NULL OR s.{expires} <= @{Now};";
        _releaseLease = $"UPDATE {state} SET {owner} = NULL, {expires} = NULL WHERE {key} = @{StateTables.EntityName} AND {owner} = @{FenceOwner};";

        _appendHistory = Insert(history, StateTables.SyncHistoryTable);
        _appendSchemaChange = Insert(names.Owned(StateTables.SchemaChangeTable), StateTables.SchemaChangeTable);

        // One row per deleted id, in page order; RecordId is the guid as text (lowercase, as Dataverse writes it).
        _logDeletes = $"INSERT INTO {deleteLog} ({Q("EntityName")}, {Q("RecordId")}, {Q("SinkDeleteTime")}, {Q("VersionNumber")}) " +
                      $"SELECT @entity, u.id::text, @{PostgreSqlStatements.NowParameter}, NULL " +
                      $"FROM unnest(@{PostgreSqlStatements.IdsParameter}) WITH ORDINALITY AS u(id, n) ORDER BY u.n;";

        var q = StateTables.QuarantineColumns.Select(c => Q(c.Name)).ToArray();
        _quarantine = $"INSERT INTO {quarantine} AS q ({string.Join(", ", q)}) " +
                      $"SELECT @entity, u.id, u.v, u.c, u.r, @{PostgreSqlStatements.NowParameter} " +
                      $"FROM unnest(@{PostgreSqlStatements.IdsParameter}, @versions, @columns, @reasons) AS u(id, v, c, r) " +
                      "WHERE NOT EXISTS (SELECT 1 FROM {0} AS t WHERE t." + Q(SyncColumns.Id) + " = u.id AND t." + Q(SyncColumns.Version) + " > u.v) " +
                      $"ON CONFLICT ({q[0]}, {q[1]}) DO UPDATE SET {q[2]} = excluded.{q[2]}, {q[3]} = excluded.{q[3]}, {q[4]} = excluded.{q[4]}, {q[5]} = excluded.{q[5]} " +
                      $"WHERE q.{q[2]} <= excluded.{q[2]};";
        _releaseDeleted = $"DELETE FROM {quarantine} WHERE {q[0]} = @entity AND {q[1]} = ANY(@{PostgreSqlStatements.IdsParameter});";
        _loadQuarantine = $"SELECT {string.Join(", ", q)} FROM {quarantine} WHERE {q[0]} = @entity ORDER BY {q[5]}, {q[1]};";

        var commandColumns = StateTables.CommandColumns;
        var all = string.Join(", ", commandColumns.Select(c => Q(c.Name)));
        var (enqueueColumns, enqueueValues) = StateTables.InsertLists(StateTables.CommandTable, Q, P);
        _enqueue = $"INSERT INTO {command} ({enqueueColumns}) VALUES ({enqueueValues}) RETURNING {Q("Id")};";

        // SKIP LOCKED: a second claimer passes over rows the first has locked instead of waiting and then taking them too.
        _claim = $"UPDATE {command} SET {Q("Status")} = '{StateTables.Running}', {Q("PickedUpBy")} = @owner, {Q("PickedUpUtc")} = @{Now} " +
                 $"WHERE {Q("Id")} IN (SELECT {Q("Id")} FROM {command} WHERE {Q("Status")} = '{StateTables.Pending}' " +
                 $"AND {Q("EntityName")} = ANY(@names) ORDER BY {Q("Id")} FOR UPDATE SKIP LOCKED) RETURNING {all};";
        _complete = $"UPDATE {command} SET {Q("Status")} = @status, {Q("CompletedUtc")} = @{Now}, {Q("Detail")} = @detail WHERE {Q("Id")} = @id;";
        _getCommand = $"SELECT {all} FROM {command} WHERE {Q("Id")} = @id;";
    }

    /// <summary>
    /// Replaces the entity's state row with <paramref name="state"/> only if its stored cursor and shadow cursor are the
    /// expected ones (null-safe) and, when <paramref name="leaseOwner"/> is set, the stored lease is that owner's and
    /// unexpired at <paramref name="now"/>. With no row yet, null expectations and no fencing insert it; two workers racing
    /// to insert it both see exactly one success. The UPDATE takes the row lock first, so a concurrent commit for the
    /// same entity waits and then fails the comparison instead of overwriting.
    /// </summary>
    public async Task<bool> CompareAndSetAsync(
        NpgsqlConnection connection, SyncCursor? expected, SyncCursor? expectedShadow, string? leaseOwner, DateTime now, EntityState state,
        CancellationToken ct)
    {
        await using (var update = new NpgsqlCommand(leaseOwner is null ? _compareAndSet : _compareAndSetFenced, connection))
        {
            AddStateParameters(update, state);
            update.Parameters.Add(PostgreSqlValues.Parameter(ExpectedKind, ColumnStorageType.String, expected?.Kind.ToString()));
            update.Parameters.Add(PostgreSqlValues.Parameter(ExpectedUrl, ColumnStorageType.String, expected?.Url));
            update.Parameters.Add(PostgreSqlValues.Parameter(ExpectedShadowKind, ColumnStorageType.String, expectedShadow?.Kind.ToString()));
            update.Parameters.Add(PostgreSqlValues.Parameter(ExpectedShadowUrl, ColumnStorageType.String, expectedShadow?.Url));
            if (leaseOwner is not null)
            {
                update.Parameters.Add(PostgreSqlValues.Parameter(FenceOwner, ColumnStorageType.String, leaseOwner));
                update.Parameters.Add(PostgreSqlValues.Parameter(Now, ColumnStorageType.DateTime, now));
            }

            await update.PrepareAsync(ct);
            if (await update.ExecuteNonQueryAsync(ct) == 1)
            {
                return true;
            }
        }

        if (expected is not null || expectedShadow is not null || leaseOwner is not null)
        {
            return false;
        }

        await using var insert = new NpgsqlCommand(_insertIfMissing, connection);
        AddStateParameters(insert, state);
        await insert.PrepareAsync(ct);
        return await insert.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task SaveAsync(NpgsqlConnection connection, EntityState state, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(_save, connection);
        AddStateParameters(command, state);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<EntityState>> LoadAsync(NpgsqlConnection connection, string? entityName, CancellationToken ct)
    {
        var sql = entityName is null
            ? _select + $" ORDER BY {Q(StateTables.EntityName)};"
            : _select + $" WHERE {Q(StateTables.EntityName)} = @{StateTables.EntityName};";
        await using var command = new NpgsqlCommand(sql, connection);
        if (entityName is not null)
        {
            command.Parameters.Add(PostgreSqlValues.Parameter(StateTables.EntityName, ColumnStorageType.String, entityName));
        }

        var result = new List<EntityState>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(StateTables.FromValues(ReadRow(reader, StateTables.EntityStateColumns)));
        }

        return result;
    }

    /// <summary>Takes the lease (see the statement) and returns whether this owner now holds it.</summary>
    public async Task<bool> TryAcquireLeaseAsync(NpgsqlConnection connection, string entityName, string owner, DateTime expiresUtc, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(_acquireLease, connection);
        AddStateParameters(command, new EntityState { EntityName = entityName, LeaseOwner = owner, LeaseExpiresUtc = expiresUtc, UpdatedUtc = now });
        command.Parameters.Add(PostgreSqlValues.Parameter(Now, ColumnStorageType.DateTime, now));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task ReleaseLeaseAsync(NpgsqlConnection connection, string entityName, string owner, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(_releaseLease, connection);
        command.Parameters.Add(PostgreSqlValues.Parameter(StateTables.EntityName, ColumnStorageType.String, entityName));
        command.Parameters.Add(PostgreSqlValues.Parameter(FenceOwner, ColumnStorageType.String, owner));
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task AppendHistoryAsync(NpgsqlConnection connection, SyncHistoryEntry entry, CancellationToken ct) =>
        AppendAsync(connection, _appendHistory, StateTables.SyncHistoryTable, StateTables.ToValues(entry), ct);

    public Task AppendSchemaChangeAsync(NpgsqlConnection connection, SchemaChangeEntry entry, CancellationToken ct) =>
        AppendAsync(connection, _appendSchemaChange, StateTables.SchemaChangeTable, StateTables.ToValues(entry), ct);

    /// <summary>The insert text for an append-only table: every column but the identity, one parameter each.</summary>
    private static string Insert(string table, OwnedTable owned)
    {
        var (names, values) = StateTables.InsertLists(owned, Q, P);
        return $"INSERT INTO {table} ({names}) VALUES ({values});";
    }

    /// <summary>Runs an <see cref="Insert"/> text with <paramref name="values"/> for the non-identity columns, in order.</summary>
    private static async Task AppendAsync(NpgsqlConnection connection, string sql, OwnedTable table, object?[] values, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        Bind(command, table, values);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Adds <paramref name="values"/> as the parameters of the table's <see cref="OwnedTable.Writable"/> columns, in order.</summary>
    private static void Bind(NpgsqlCommand command, OwnedTable table, object?[] values)
    {
        var writable = table.Writable;
        for (var i = 0; i < writable.Count; i++)
        {
            command.Parameters.Add(PostgreSqlValues.Parameter(writable[i].Name, writable[i].Type, values[i]));
        }
    }

    /// <summary>The DeleteLog insert for a page's deletes, to run in the page's batch.</summary>
    public NpgsqlBatchCommand LogDeletes(string entityName, Guid[] ids, DateTime now)
    {
        var command = new NpgsqlBatchCommand(_logDeletes);
        command.Parameters.Add(PostgreSqlValues.Parameter("entity", ColumnStorageType.String, entityName));
        command.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.NowParameter, ColumnStorageType.DateTime, now));
        command.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.IdsParameter, NpgsqlDbType.Array | NpgsqlDbType.Uuid, ids));
        return command;
    }

    /// <summary>
    /// Records the page's rejected rows, one entry per record: a newer version replaces an older entry, an older one
    /// changes nothing, and a row whose table already holds a newer version is stale and not recorded (the upsert would
    /// have skipped it too). Returns the entries written.
    /// </summary>
    public async Task<long> QuarantineAsync(
        NpgsqlConnection connection, string qualifiedTable, string entityName, IReadOnlyList<QuarantineEntry> entries, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, _quarantine, qualifiedTable), connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("entity", ColumnStorageType.String, entityName));
        command.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.NowParameter, ColumnStorageType.DateTime, now));
        command.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.IdsParameter, NpgsqlDbType.Array | NpgsqlDbType.Uuid, entries.Select(e => e.RecordId).ToArray()));
        command.Parameters.Add(PostgreSqlValues.Parameter("versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint, entries.Select(e => e.VersionNumber).ToArray()));
        command.Parameters.Add(PostgreSqlValues.Parameter("columns", NpgsqlDbType.Array | NpgsqlDbType.Text, entries.Select(e => e.ColumnName).ToArray()));
        command.Parameters.Add(PostgreSqlValues.Parameter("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text, entries.Select(e => e.Reason).ToArray()));
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Removes the entries of records the table now holds at the quarantined version or later (a later version arrived
    /// and fit). The quarantine is small by nature, so the entity's entries are simply joined to the table.
    /// </summary>
    public NpgsqlBatchCommand ReleaseWritten(string qualifiedTable, string entityName) =>
        new($"DELETE FROM {_quarantineTable} AS q USING {qualifiedTable} AS t WHERE q.{Q(StateTables.EntityName)} = @entity " +
            $"AND t.{Q(SyncColumns.Id)} = q.{Q("RecordId")} AND t.{Q(SyncColumns.Version)} >= q.{Q("VersionNumber")};")
        {
            Parameters = { PostgreSqlValues.Parameter("entity", ColumnStorageType.String, entityName) },
        };

    /// <summary>Removes the entries of deleted records.</summary>
    public NpgsqlBatchCommand ReleaseDeleted(string entityName, Guid[] ids) =>
        new(_releaseDeleted)
        {
            Parameters =
            {
                PostgreSqlValues.Parameter("entity", ColumnStorageType.String, entityName),
                PostgreSqlValues.Parameter(PostgreSqlStatements.IdsParameter, NpgsqlDbType.Array | NpgsqlDbType.Uuid, ids),
            },
        };

    public async Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(NpgsqlConnection connection, string entityName, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(_loadQuarantine, connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("entity", ColumnStorageType.String, entityName));
        var result = new List<QuarantinedRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(StateTables.QuarantineFromValues(ReadRow(reader, StateTables.QuarantineColumns)));
        }

        return result;
    }

    public async Task<long> EnqueueCommandAsync(NpgsqlConnection connection, SyncCommand command, DateTime now, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(_enqueue, connection);
        object?[] values =
        [
            command.EntityName, command.Kind, command.RequestedUtc == default ? now : UtcDateTime.AsUtc(command.RequestedUtc),
            command.RequestedBy, StateTables.Pending, null, null, null, command.Detail,
        ];
        Bind(insert, StateTables.CommandTable, values);
        return (long)(await insert.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<SyncCommand>> ClaimCommandsAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> entityNames, string owner, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(_claim, connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("owner", ColumnStorageType.String, owner));
        command.Parameters.Add(PostgreSqlValues.Parameter(Now, ColumnStorageType.DateTime, now));
        command.Parameters.Add(PostgreSqlValues.Parameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text, entityNames.ToArray()));
        return (await ReadCommandsAsync(command, ct)).OrderBy(c => c.Id).ToList();
    }

    public async Task<bool> CompleteCommandAsync(NpgsqlConnection connection, long id, bool succeeded, string? detail, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(_complete, connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("status", ColumnStorageType.String, succeeded ? StateTables.Completed : StateTables.Failed));
        command.Parameters.Add(PostgreSqlValues.Parameter(Now, ColumnStorageType.DateTime, now));
        command.Parameters.Add(PostgreSqlValues.Parameter("detail", ColumnStorageType.String, detail));
        command.Parameters.Add(PostgreSqlValues.Parameter("id", ColumnStorageType.Int64, id));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<SyncCommand?> GetCommandAsync(NpgsqlConnection connection, long id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(_getCommand, connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("id", ColumnStorageType.Int64, id));
        return (await ReadCommandsAsync(command, ct)).SingleOrDefault();
    }

    private static async Task<List<SyncCommand>> ReadCommandsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var result = new List<SyncCommand>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(StateTables.CommandFromValues(ReadRow(reader, StateTables.CommandColumns)));
        }

        return result;
    }

    private static object?[] ReadRow(NpgsqlDataReader reader, IReadOnlyList<StateColumn> columns)
    {
        var values = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            values[i] = PostgreSqlValues.Read(reader, i, columns[i].Type);
        }

        return values;
    }

    private static void AddStateParameters(NpgsqlCommand command, EntityState state)
    {
        var values = StateTables.ToValues(state);
        var columns = StateTables.EntityStateColumns;
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.Add(PostgreSqlValues.Parameter(columns[i].Name, columns[i].Type, values[i]));
        }
    }

    private static string Q(string trustedName) => PostgreSqlIdentifier.Quote(trustedName, "column");

    private static string P(string name) => "@" + name;
}
