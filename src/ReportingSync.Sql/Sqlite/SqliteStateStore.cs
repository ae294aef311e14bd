using Microsoft.Data.Sqlite;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// SQL for the replicator's own rows: EntityState (load, save, and the compare-and-set a page commit makes),
/// SyncHistory and DeleteLog, in prefixed tables of the main database.
/// </summary>
internal sealed class SqliteStateStore
{
    private const string ExpectedKind = "$ExpectedCursorKind";
    private const string ExpectedUrl = "$ExpectedCursorUrl";

    private readonly string _select;
    private readonly string _compareAndSet;
    private readonly string _insertIfMissing;
    private readonly string _save;
    private readonly string _appendHistory;
    private readonly string _logDelete;

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
                         $"AND {Q(StateTables.CursorKind)} IS {ExpectedKind} AND {Q(StateTables.CursorUrl)} IS {ExpectedUrl};";
        _insertIfMissing = $"INSERT INTO {state} ({list}) VALUES ({values}) ON CONFLICT ({key}) DO NOTHING;";
        _save = $"INSERT INTO {state} ({list}) VALUES ({values}) ON CONFLICT ({key}) DO UPDATE SET {fromExcluded};";

        var historyColumns = StateTables.SyncHistoryColumns.Where(c => !c.Identity).ToList();
        _appendHistory = $"INSERT INTO {Q(names.SyncHistoryTable)} ({string.Join(", ", historyColumns.Select(c => Q(c.Name)))}) " +
                         $"VALUES ({string.Join(", ", historyColumns.Select(c => P(c.Name)))});";
        _logDelete = $"INSERT INTO {Q(StateTables.DeleteLog)} ({Q("EntityName")}, {Q("RecordId")}, {Q("SinkDeleteTime")}, {Q("VersionNumber")}) " +
                     $"VALUES ($entity, {SqliteStatements.IdParameter}, {SqliteStatements.NowParameter}, NULL);";
    }

    /// <summary>
    /// Replaces the entity's state row with <paramref name="state"/> only if its stored cursor is
    /// <paramref name="expected"/> (null-safe); with no row yet, a null expectation inserts it.
    /// </summary>
    public bool CompareAndSet(SqliteConnection connection, SqliteTransaction transaction, SyncCursor? expected, EntityState state)
    {
        using (var update = new SqliteCommand(_compareAndSet, connection, transaction))
        {
            AddStateParameters(update, state);
            update.Parameters.AddWithValue(ExpectedKind, (object?)expected?.Kind.ToString() ?? DBNull.Value);
            update.Parameters.AddWithValue(ExpectedUrl, (object?)expected?.Url ?? DBNull.Value);
            if (update.ExecuteNonQuery() == 1)
            {
                return true;
            }
        }

        if (expected is not null)
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

    public async Task<IReadOnlyList<EntityState>> LoadAsync(SqliteConnection connection, string? entityName, CancellationToken ct)
    {
        var sql = entityName is null
            ? _select + $" ORDER BY {Q(StateTables.EntityName)};"
            : _select + $" WHERE {Q(StateTables.EntityName)} = {P(StateTables.EntityName)};";
        await using var command = new SqliteCommand(sql, connection);
        if (entityName is not null)
        {
            command.Parameters.AddWithValue(P(StateTables.EntityName), entityName);
        }

        var columns = StateTables.EntityStateColumns;
        var result = new List<EntityState>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var values = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                values[i] = SqliteValues.Read(reader, i, columns[i].Type);
            }

            result.Add(StateTables.FromValues(values));
        }

        return result;
    }

    public void AppendHistory(SqliteConnection connection, SyncHistoryEntry entry)
    {
        using var command = new SqliteCommand(_appendHistory, connection);
        var values = StateTables.ToValues(entry);
        var columns = StateTables.SyncHistoryColumns.Where(c => !c.Identity).ToList();
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.AddWithValue(P(columns[i].Name), SqliteValues.ToDb(values[i], columns[i].Type));
        }

        command.ExecuteNonQuery();
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
