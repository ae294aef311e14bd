using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// <see cref="IReportingTarget"/> on PostgreSQL. Connections come from one pooled <see cref="NpgsqlDataSource"/>;
/// each call takes a connection for its own duration, so entities commit in parallel and lock only their own rows.
/// The page commit is in <c>PostgreSqlTarget.Commit.cs</c>; re-seeds, drift, metadata, commands, leases and the
/// quarantine each have their own partial file.
/// </summary>
internal sealed partial class PostgreSqlTarget : IReportingTarget
{
    // pg_advisory_xact_lock key that serialises our DDL across workers: CREATE ... IF NOT EXISTS alone can still
    // fail with a duplicate-key error on the catalogs when two sessions create the same object at once.
    private const long DdlLockKey = 0x5253_5F44_444C_0001;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlSchemaWriter _schema;
    private readonly PostgreSqlStateStore _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _endpoint;
    private readonly string? _password;
    private readonly bool _labelViews;

    public PostgreSqlTarget(
        NpgsqlDataSource dataSource, PostgreSqlSchemaWriter schema, TimeProvider time, ILogger logger, string endpoint, string? password, bool labelViews = true)
    {
        _labelViews = labelViews;
        _dataSource = dataSource;
        _schema = schema;
        _state = new PostgreSqlStateStore(schema);
        _time = time;
        _logger = logger;
        _endpoint = endpoint;
        _password = password;
    }

    public string Provider => nameof(TargetProvider.PostgreSql);

    public Task CheckAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1;", connection);
        await command.ExecuteScalarAsync(cancellationToken);
        return 0;
    });

    public Task InitializeAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var tables = StateTables.All.Select(_schema.Owned).ToArray();

        // Already there and current (a DBA may have run the scripts and given us a login without CREATE): touch nothing.
        var missingColumns = await MissingStateColumnsAsync(connection, cancellationToken);
        if (!await AllExistAsync(connection, tables, cancellationToken) || missingColumns.Count > 0)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockDdlAsync(connection, cancellationToken);
            await using (var find = new NpgsqlCommand("SELECT nspname FROM pg_namespace WHERE nspname = ANY(@names);", connection))
            {
                find.Parameters.Add(PostgreSqlValues.Parameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text, new[] { _schema.Schema, _schema.StateSchema }));
                var existing = new HashSet<string>(StringComparer.Ordinal);
                await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        existing.Add(reader.GetString(0));
                    }
                }

                foreach (var name in new[] { _schema.Schema, _schema.StateSchema }.Distinct().Where(n => !existing.Contains(n)))
                {
                    await ExecuteAsync(connection, _schema.CreateSchema(name), cancellationToken);
                }
            }

            foreach (var statement in _schema.CreateStateTables())
            {
                await ExecuteAsync(connection, statement, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            if (missingColumns.Count > 0)
            {
                _logger.StateTablesUpgraded(Provider, string.Join(", ", missingColumns));
            }
        }

        _logger.TargetInitialized(Provider, _endpoint);
        return 0;
    });

    /// <summary>Columns an existing EntityState table (created by the first version) lacks; empty when it is absent or current.</summary>
    private async Task<IReadOnlyList<string>> MissingStateColumnsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var columns = await ColumnsAsync(connection, _schema.Owned(StateTables.EntityStateTable), ct);
        return columns is null
            ? []
            : StateTables.EntityStateAddedColumns.Select(c => c.Name).Where(n => !columns.Any(c => c.Name == n)).ToList();
    }

    /// <summary>Creates the table when missing; otherwise widens the columns the layout declares wider (<see cref="ColumnWidening.WidenInPlaceAsync"/>).</summary>
    public async Task EnsureTableAsync(TableLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var created = await RunAsync(async () =>
        {
            var qualified = QualifiedTable(layout.TableName, layout);
            var ddl = _schema.CreateTable(layout);
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            if (await AllExistAsync(connection, [qualified], cancellationToken))
            {
                return false;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockDdlAsync(connection, cancellationToken);
            await ExecuteAsync(connection, ddl, cancellationToken);
            await RefreshLabelViewAsync(connection, layout, labels: null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _logger.TableCreated(layout.TableName, layout.Columns.Count);
            return true;
        });

        if (!created)
        {
            await ColumnWidening.WidenInPlaceAsync(this, layout, cancellationToken);
        }
    }

    public Task<IReadOnlyList<EntityState>> LoadStatesAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await _state.LoadAsync(connection, null, cancellationToken);
    });

    public Task<EntityState?> LoadStateAsync(string entityName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entityName);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var states = await _state.LoadAsync(connection, entityName, cancellationToken);
        return states.Count == 0 ? null : states[0];
    });

    public Task SaveStateAsync(EntityState state, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(state);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await _state.SaveAsync(connection, state, cancellationToken);
        return 0;
    });

    public Task AppendHistoryAsync(SyncHistoryEntry entry, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await _state.AppendHistoryAsync(connection, entry, cancellationToken);
        return 0;
    });

    public Task AppendSchemaChangeAsync(SchemaChangeEntry entry, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await _state.AppendSchemaChangeAsync(connection, entry, cancellationToken);
        return 0;
    });

    public Task<long> CountRowsAsync(string tableName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var qualified = QualifiedTable(tableName, null);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(PostgreSqlStatements.Count(qualified), connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    });

    public async IAsyncEnumerable<object?[]> ReadRowsAsync(
        TableLayout layout, string? tableName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var sql = PostgreSqlStatements.SelectRows(QualifiedTable(tableName ?? layout.TableName, layout), layout);
        var (connection, command, reader) = await RunAsync(async () =>
        {
            var c = await _dataSource.OpenConnectionAsync(cancellationToken);
            var cmd = new NpgsqlCommand(sql, c);
            return (c, cmd, await cmd.ExecuteReaderAsync(cancellationToken));
        });

        await using (connection)
        await using (command)
        await using (reader)
        {
            var columns = layout.Columns;
            while (await RunAsync(() => reader.ReadAsync(cancellationToken)))
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < columns.Count; i++)
                {
                    row[i] = PostgreSqlValues.Read(reader, i, columns[i].Type);
                }

                yield return row;
            }
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Validated, quoted, schema-qualified; refuses the replicator's own table names.</summary>
    private string QualifiedTable(string? table, TableLayout? layout)
    {
        PostgreSqlIdentifier.Validate(table, "table", layout?.EntityName);
        if (ReservedNames.IsReservedTableName(table!))
        {
            throw new InvalidSchemaException(layout?.EntityName ?? table!, $"the table name '{table}' is reserved for the replicator's own tables (DeleteLog, metadata).");
        }

        return PostgreSqlIdentifier.Qualify(_schema.Schema, table!, "table", layout?.EntityName);
    }

    private static async Task<bool> AllExistAsync(NpgsqlConnection connection, string[] qualifiedNames, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT bool_and(to_regclass(n) IS NOT NULL) FROM unnest(@names) AS n;", connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text, qualifiedNames));
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>
    /// The columns of a table (name, and type as <c>format_type</c> spells it) in table order, or null when it does not
    /// exist. Runs on the caller's connection, so inside its transaction.
    /// </summary>
    private static async Task<IReadOnlyList<TargetColumn>?> ColumnsAsync(NpgsqlConnection connection, string qualifiedTable, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a " +
            "WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum;",
            connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("table", ColumnStorageType.String, qualifiedTable));
        var columns = new List<TargetColumn>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var type = reader.GetString(1);
                var (storage, maxLength, precision) = PostgreSqlSchemaWriter.ParseType(type);
                columns.Add(new TargetColumn(reader.GetString(0), storage, maxLength, precision, type));
            }
        }

        return columns.Count > 0 || await AllExistAsync(connection, [qualifiedTable], ct) ? columns : null;
    }

    private static async Task LockDdlAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key);", connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("key", NpgsqlDbType.Bigint, DdlLockKey));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs a database call and turns connection-level failures into <see cref="TargetUnavailableException"/>.</summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex) when (PostgreSqlErrors.Translate(ex, _endpoint, _password) is { } translated)
        {
            _logger.Unavailable(translated.IsTransient, translated.Message);
            throw translated;
        }
    }
}
