using System.Globalization;
using Microsoft.Data.SqlClient;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// SQL for the replicator's own rows: EntityState (load, save, the compare-and-set a page commit or a swap makes, and
/// leases), SyncHistory, SchemaChange, DeleteLog, Quarantine and Command. SQL Server before 2022 has no IS DISTINCT FROM,
/// so null-safe comparisons are spelled out.
/// </summary>
internal sealed class SqlServerStateStore
{
    private const string ExpectedKind = "@ExpectedCursorKind";
    private const string ExpectedUrl = "@ExpectedCursorUrl";
    private const string ExpectedShadowKind = "@ExpectedShadowCursorKind";
    private const string ExpectedShadowUrl = "@ExpectedShadowCursorUrl";
    private const string FenceOwner = "@FenceOwner";
    private const string Now = "@FenceNow";

    private readonly string _select;
    private readonly string _compareAndSet;
    private readonly string _compareAndSetFenced;
    private readonly string _insertIfMissing;
    private readonly string _save;
    private readonly string _acquireLease;
    private readonly string _releaseLease;
    private readonly string _appendHistory;
    private readonly string _appendSchemaChange;
    private readonly string _loadQuarantine;
    private readonly string _enqueue;
    private readonly string _claim;
    private readonly string _complete;
    private readonly string _getCommand;

    public SqlServerStateStore(SqlServerSchemaWriter names)
    {
        var state = names.Owned(StateTables.EntityStateTable);
        var columns = StateTables.EntityStateColumns;
        var list = string.Join(", ", columns.Select(c => Q(c.Name)));
        var values = string.Join(", ", columns.Select(c => P(c.Name)));
        var assignments = string.Join(", ", columns.Skip(1).Select(c => $"{Q(c.Name)} = {P(c.Name)}"));
        var key = Q(StateTables.EntityName);
        var keyIs = $"{key} = {P(StateTables.EntityName)}";

        _select = $"SELECT {list} FROM {state}";
        _compareAndSet = $"UPDATE {state} SET {assignments} WHERE {keyIs} " +
                         $"AND {Same(StateTables.CursorKind, ExpectedKind)} AND {Same(StateTables.CursorUrl, ExpectedUrl)} " +
                         $"AND {Same(StateTables.ShadowCursorKind, ExpectedShadowKind)} AND {Same(StateTables.ShadowCursorUrl, ExpectedShadowUrl)}";
        _compareAndSetFenced = _compareAndSet + $" AND {Q(StateTables.LeaseOwner)} = {FenceOwner};";
        _compareAndSet += ";";

        // UPDLOCK + HOLDLOCK: of two workers inserting the first row, the second waits for the first and then finds it.
        _insertIfMissing = $"INSERT INTO {state} ({list}) SELECT {values} WHERE NOT EXISTS (SELECT 1 FROM {state} WITH (UPDLOCK, HOLDLOCK) WHERE {keyIs});";
        _save = $"MERGE {state} WITH (HOLDLOCK) AS t USING (SELECT {P(StateTables.EntityName)} AS {key}) AS s ON t.{key} = s.{key}\n" +
                $"WHEN MATCHED THEN UPDATE SET {assignments}\nWHEN NOT MATCHED THEN INSERT ({list}) VALUES ({values});";

        // One statement, atomic: a missing row is inserted holding the lease; an existing one is taken only when free,
        // expired or already ours.
        var owner = Q(StateTables.LeaseOwner);
        var expires = Q(StateTables.LeaseExpiresUtc);
        _acquireLease = $"MERGE {state} WITH (HOLDLOCK) AS t USING (SELECT {P(StateTables.EntityName)} AS {key}) AS s ON t.{key} = s.{key}\n" +
                        $"WHEN MATCHED AND (t.{owner} IS NULL OR t.{owner} = {P(StateTables.LeaseOwner)} OR t.{expires} IS NULL OR t.{expires} <= {Now}) THEN\n" +
                        $"    UPDATE SET {owner} = {P(StateTables.LeaseOwner)}, {expires} = {P(StateTables.LeaseExpiresUtc)}\n" +
                        $"WHEN NOT MATCHED THEN INSERT ({list}) VALUES ({values});";
        _releaseLease = $"UPDATE {state} SET {owner} = NULL, {expires} = NULL WHERE {keyIs} AND {owner} = {FenceOwner};";

        _appendHistory = Insert(names.Owned(StateTables.SyncHistoryTable), StateTables.SyncHistoryTable);
        _appendSchemaChange = Insert(names.Owned(StateTables.SchemaChangeTable), StateTables.SchemaChangeTable);

        var q = StateTables.QuarantineColumns.Select(c => Q(c.Name)).ToArray();
        _loadQuarantine = $"SELECT {string.Join(", ", q)} FROM {names.Owned(StateTables.QuarantineTable)} WHERE {q[0]} = {SqlServerStatements.EntityParameter} ORDER BY {q[5]}, {q[1]};";

        var command = names.Owned(StateTables.CommandTable);
        var all = string.Join(", ", StateTables.CommandColumns.Select(c => Q(c.Name)));
        var (enqueueColumns, enqueueValues) = StateTables.InsertLists(StateTables.CommandTable, Q, P);
        _enqueue = $"INSERT INTO {command} ({enqueueColumns}) OUTPUT inserted.{Q("Id")} VALUES ({enqueueValues});";

        // READPAST skips rows another claimer has locked (instead of waiting and then taking them too); UPDLOCK keeps two
        // claimers from both reading a row as Pending before either updates it.
        _claim = $"UPDATE c SET {Q("Status")} = N'{StateTables.Running}', {Q("PickedUpBy")} = @owner, {Q("PickedUpUtc")} = {Now}\n" +
                 $"OUTPUT {string.Join(", ", StateTables.CommandColumns.Select(c => "inserted." + Q(c.Name)))}\n" +
                 $"FROM {command} AS c WITH (UPDLOCK, READPAST, ROWLOCK)\n" +
                 $"WHERE c.{Q("Status")} = N'{StateTables.Pending}' AND c.{Q("EntityName")} IN ({{0}});";
        _complete = $"UPDATE {command} SET {Q("Status")} = @status, {Q("CompletedUtc")} = {Now}, {Q("Detail")} = @detail WHERE {Q("Id")} = @id;";
        _getCommand = $"SELECT {all} FROM {command} WHERE {Q("Id")} = @id;";
    }

    /// <summary>The SchemaChange insert text (for golden tests).</summary>
    public string AppendSchemaChangeText => _appendSchemaChange;

    /// <summary>The compare-and-set text (for golden tests).</summary>
    public string CompareAndSetText(bool fenced) => fenced ? _compareAndSetFenced : _compareAndSet;

    /// <summary>
    /// Replaces the entity's state row with <paramref name="state"/> only if its stored cursor and shadow cursor are the
    /// expected ones and, when <paramref name="leaseOwner"/> is set, the stored lease is that owner's and unexpired at
    /// <paramref name="now"/>; with no row yet, null expectations and no fencing insert it. The UPDATE takes the row's
    /// lock first, so a concurrent commit for the entity waits and then fails the comparison instead of overwriting.
    /// </summary>
    public async Task<bool> CompareAndSetAsync(
        SqlConnection connection, SqlTransaction transaction, SyncCursor? expected, SyncCursor? expectedShadow, string? leaseOwner, DateTime now,
        EntityState state, CancellationToken ct)
    {
        await using (var update = new SqlCommand(leaseOwner is null ? _compareAndSet : _compareAndSetFenced, connection, transaction))
        {
            AddStateParameters(update, state);
            update.Parameters.Add(SqlServerValues.Parameter(ExpectedKind, ColumnStorageType.String, expected?.Kind.ToString(), 16));
            update.Parameters.Add(SqlServerValues.Parameter(ExpectedUrl, ColumnStorageType.String, expected?.Url));
            update.Parameters.Add(SqlServerValues.Parameter(ExpectedShadowKind, ColumnStorageType.String, expectedShadow?.Kind.ToString(), 16));
            update.Parameters.Add(SqlServerValues.Parameter(ExpectedShadowUrl, ColumnStorageType.String, expectedShadow?.Url));
            if (leaseOwner is not null)
            {
                update.Parameters.Add(SqlServerValues.Parameter(FenceOwner, ColumnStorageType.String, leaseOwner, 256));
                update.Parameters.Add(SqlServerValues.Parameter(Now, ColumnStorageType.DateTime, now));
            }

            if (await update.ExecuteNonQueryAsync(ct) == 1)
            {
                return true;
            }
        }

        if (expected is not null || expectedShadow is not null || leaseOwner is not null)
        {
            return false;
        }

        await using var insert = new SqlCommand(_insertIfMissing, connection, transaction);
        AddStateParameters(insert, state);
        return await insert.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task SaveAsync(SqlConnection connection, EntityState state, CancellationToken ct)
    {
        await using var command = new SqlCommand(_save, connection);
        AddStateParameters(command, state);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<EntityState>> LoadAsync(SqlConnection connection, string? entityName, CancellationToken ct, SqlTransaction? transaction = null)
    {
        var sql = entityName is null
            ? _select + $" ORDER BY {Q(StateTables.EntityName)};"
            : _select + $" WHERE {Q(StateTables.EntityName)} = {P(StateTables.EntityName)};";
        await using var command = new SqlCommand(sql, connection, transaction);
        if (entityName is not null)
        {
            command.Parameters.Add(SqlServerValues.Parameter(P(StateTables.EntityName), ColumnStorageType.String, entityName, 128));
        }

        var result = new List<EntityState>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(StateTables.FromValues(ReadRow(reader, StateTables.EntityStateColumns)));
        }

        return result;
    }

    public async Task<bool> TryAcquireLeaseAsync(SqlConnection connection, string entityName, string owner, DateTime expiresUtc, DateTime now, CancellationToken ct)
    {
        await using var command = new SqlCommand(_acquireLease, connection);
        AddStateParameters(command, new EntityState { EntityName = entityName, LeaseOwner = owner, LeaseExpiresUtc = expiresUtc, UpdatedUtc = now });
        command.Parameters.Add(SqlServerValues.Parameter(Now, ColumnStorageType.DateTime, now));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task ReleaseLeaseAsync(SqlConnection connection, string entityName, string owner, CancellationToken ct)
    {
        await using var command = new SqlCommand(_releaseLease, connection);
        command.Parameters.Add(SqlServerValues.Parameter(P(StateTables.EntityName), ColumnStorageType.String, entityName, 128));
        command.Parameters.Add(SqlServerValues.Parameter(FenceOwner, ColumnStorageType.String, owner, 256));
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task AppendHistoryAsync(SqlConnection connection, SyncHistoryEntry entry, CancellationToken ct) =>
        AppendAsync(connection, _appendHistory, StateTables.SyncHistoryTable, StateTables.ToValues(entry), ct);

    public Task AppendSchemaChangeAsync(SqlConnection connection, SchemaChangeEntry entry, CancellationToken ct) =>
        AppendAsync(connection, _appendSchemaChange, StateTables.SchemaChangeTable, StateTables.ToValues(entry), ct);

    /// <summary>The insert text for an append-only table: every column but the identity, one parameter each.</summary>
    private static string Insert(string table, OwnedTable owned)
    {
        var (names, values) = StateTables.InsertLists(owned, Q, P);
        return $"INSERT INTO {table} ({names}) VALUES ({values});";
    }

    /// <summary>Runs an <see cref="Insert"/> text with <paramref name="values"/> for the non-identity columns, in order.</summary>
    private static async Task AppendAsync(SqlConnection connection, string sql, OwnedTable table, object?[] values, CancellationToken ct)
    {
        await using var command = new SqlCommand(sql, connection);
        Bind(command, table, values);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Adds <paramref name="values"/> as the parameters of the table's <see cref="OwnedTable.Writable"/> columns, in order; string
    /// parameters take the column's length, so the plan is the same whatever the value's length.
    /// </summary>
    private static void Bind(SqlCommand command, OwnedTable table, object?[] values)
    {
        var writable = table.Writable;
        for (var i = 0; i < writable.Count; i++)
        {
            command.Parameters.Add(SqlServerValues.Parameter(P(writable[i].Name), writable[i].Type, values[i], writable[i].MaxLength));
        }
    }

    public async Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(SqlConnection connection, string entityName, CancellationToken ct)
    {
        await using var command = new SqlCommand(_loadQuarantine, connection);
        command.Parameters.Add(SqlServerValues.Parameter(SqlServerStatements.EntityParameter, ColumnStorageType.String, entityName, 128));
        var result = new List<QuarantinedRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(StateTables.QuarantineFromValues(ReadRow(reader, StateTables.QuarantineColumns)));
        }

        return result;
    }

    public async Task<long> EnqueueCommandAsync(SqlConnection connection, SyncCommand command, DateTime now, CancellationToken ct)
    {
        await using var insert = new SqlCommand(_enqueue, connection);
        object?[] values =
        [
            command.EntityName, command.Kind, command.RequestedUtc == default ? now : UtcDateTime.AsUtc(command.RequestedUtc),
            command.RequestedBy, StateTables.Pending, null, null, null, command.Detail,
        ];
        Bind(insert, StateTables.CommandTable, values);
        return (long)(await insert.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The claim statement for <paramref name="names"/> entity-name parameters (for golden tests).</summary>
    public string ClaimText(int names) =>
        string.Format(CultureInfo.InvariantCulture, _claim, string.Join(", ", Enumerable.Range(0, names).Select(SqlServerStatements.ListParameter)));

    public async Task<IReadOnlyList<SyncCommand>> ClaimCommandsAsync(
        SqlConnection connection, IReadOnlyCollection<string> entityNames, string owner, DateTime now, CancellationToken ct)
    {
        await using var command = new SqlCommand(ClaimText(entityNames.Count), connection);
        command.Parameters.Add(SqlServerValues.Parameter("@owner", ColumnStorageType.String, owner, 256));
        command.Parameters.Add(SqlServerValues.Parameter(Now, ColumnStorageType.DateTime, now));
        var i = 0;
        foreach (var name in entityNames)
        {
            command.Parameters.Add(SqlServerValues.Parameter(SqlServerStatements.ListParameter(i++), ColumnStorageType.String, name, 128));
        }

        return (await ReadCommandsAsync(command, ct)).OrderBy(c => c.Id).ToList();
    }

    public async Task<bool> CompleteCommandAsync(SqlConnection connection, long id, bool succeeded, string? detail, DateTime now, CancellationToken ct)
    {
        await using var command = new SqlCommand(_complete, connection);
        command.Parameters.Add(SqlServerValues.Parameter("@status", ColumnStorageType.String, succeeded ? StateTables.Completed : StateTables.Failed, 16));
        command.Parameters.Add(SqlServerValues.Parameter(Now, ColumnStorageType.DateTime, now));
        command.Parameters.Add(SqlServerValues.Parameter("@detail", ColumnStorageType.String, detail));
        command.Parameters.Add(SqlServerValues.Parameter("@id", ColumnStorageType.Int64, id));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<SyncCommand?> GetCommandAsync(SqlConnection connection, long id, CancellationToken ct)
    {
        await using var command = new SqlCommand(_getCommand, connection);
        command.Parameters.Add(SqlServerValues.Parameter("@id", ColumnStorageType.Int64, id));
        return (await ReadCommandsAsync(command, ct)).SingleOrDefault();
    }

    private static async Task<List<SyncCommand>> ReadCommandsAsync(SqlCommand command, CancellationToken ct)
    {
        var result = new List<SyncCommand>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(StateTables.CommandFromValues(ReadRow(reader, StateTables.CommandColumns)));
        }

        return result;
    }

    private static object?[] ReadRow(SqlDataReader reader, IReadOnlyList<StateColumn> columns)
    {
        var values = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            values[i] = SqlServerValues.Read(reader, i, columns[i].Type);
        }

        return values;
    }

    private static void AddStateParameters(SqlCommand command, EntityState state)
    {
        var values = StateTables.ToValues(state);
        var columns = StateTables.EntityStateColumns;
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.Add(SqlServerValues.Parameter(P(columns[i].Name), columns[i].Type, values[i], columns[i].MaxLength));
        }
    }

    /// <summary>Null-safe equality of a column and a parameter.</summary>
    private static string Same(string column, string parameter) => $"({Q(column)} = {parameter} OR ({Q(column)} IS NULL AND {parameter} IS NULL))";

    private static string P(string name) => "@" + name;

    private static string Q(string trustedName) => "[" + trustedName.Replace("]", "]]", StringComparison.Ordinal) + "]";
}
