using System.Text;
using Npgsql;
using NpgsqlTypes;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// SQL for the replicator's own rows: EntityState (load, save, and the compare-and-set a page commit makes),
/// SyncHistory and DeleteLog. Statement text is built once per target; the per-page statements are prepared, so
/// each pooled connection parses and plans them once.
/// </summary>
internal sealed class PostgreSqlStateStore
{
    private const string ExpectedKind = "ExpectedCursorKind";
    private const string ExpectedUrl = "ExpectedCursorUrl";

    private readonly string _select;
    private readonly string _compareAndSet;
    private readonly string _insertIfMissing;
    private readonly string _save;
    private readonly string _appendHistory;
    private readonly string _logDeletes;

    public PostgreSqlStateStore(PostgreSqlSchemaWriter names)
    {
        var state = PostgreSqlIdentifier.Qualify(names.StateSchema, StateTables.EntityState, "table");
        var history = PostgreSqlIdentifier.Qualify(names.StateSchema, StateTables.SyncHistory, "table");
        var deleteLog = PostgreSqlIdentifier.Qualify(names.Schema, StateTables.DeleteLog, "table");
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
            .Append(" AND ").Append(Q(StateTables.CursorUrl)).Append(" IS NOT DISTINCT FROM @").Append(ExpectedUrl).Append(';')
            .ToString();
        _insertIfMissing = $"INSERT INTO {state} ({list}) VALUES ({values}) ON CONFLICT ({key}) DO NOTHING;";
        _save = $"INSERT INTO {state} ({list}) VALUES ({values}) ON CONFLICT ({key}) DO UPDATE SET {fromExcluded};";

        var historyColumns = StateTables.SyncHistoryColumns.Where(c => !c.Identity).ToList();
        _appendHistory = $"INSERT INTO {history} ({string.Join(", ", historyColumns.Select(c => Q(c.Name)))}) " +
                         $"VALUES ({string.Join(", ", historyColumns.Select(c => "@" + c.Name))});";

        // One row per deleted id, in page order; RecordId is the guid as text (lowercase, as Dataverse writes it).
        _logDeletes = $"INSERT INTO {deleteLog} ({Q("EntityName")}, {Q("RecordId")}, {Q("SinkDeleteTime")}, {Q("VersionNumber")}) " +
                      $"SELECT @entity, u.id::text, @{PostgreSqlStatements.NowParameter}, NULL " +
                      $"FROM unnest(@{PostgreSqlStatements.IdsParameter}) WITH ORDINALITY AS u(id, n) ORDER BY u.n;";
    }

    /// <summary>
    /// Replaces the entity's state row with <paramref name="state"/> only if its stored cursor is
    /// <paramref name="expected"/> (null-safe). With no row yet, a null expectation inserts it; two workers racing to
    /// insert it both see exactly one success. The UPDATE takes the row lock first, so a concurrent commit for the
    /// same entity waits and then fails the comparison instead of overwriting.
    /// </summary>
    public async Task<bool> CompareAndSetAsync(NpgsqlConnection connection, SyncCursor? expected, EntityState state, CancellationToken ct)
    {
        await using (var update = new NpgsqlCommand(_compareAndSet, connection))
        {
            AddStateParameters(update, state);
            update.Parameters.Add(PostgreSqlValues.Parameter(ExpectedKind, ColumnStorageType.String, expected?.Kind.ToString()));
            update.Parameters.Add(PostgreSqlValues.Parameter(ExpectedUrl, ColumnStorageType.String, expected?.Url));
            await update.PrepareAsync(ct);
            if (await update.ExecuteNonQueryAsync(ct) == 1)
            {
                return true;
            }
        }

        if (expected is not null)
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

        var columns = StateTables.EntityStateColumns;
        var result = new List<EntityState>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var values = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                values[i] = PostgreSqlValues.Read(reader, i, columns[i].Type);
            }

            result.Add(StateTables.FromValues(values));
        }

        return result;
    }

    public async Task AppendHistoryAsync(NpgsqlConnection connection, SyncHistoryEntry entry, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(_appendHistory, connection);
        var values = StateTables.ToValues(entry);
        var columns = StateTables.SyncHistoryColumns.Where(c => !c.Identity).ToList();
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.Add(PostgreSqlValues.Parameter(columns[i].Name, columns[i].Type, values[i]));
        }

        await command.ExecuteNonQueryAsync(ct);
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
}
