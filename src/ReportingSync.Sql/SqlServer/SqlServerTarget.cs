using System.Runtime.CompilerServices;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// <see cref="IReportingTarget"/> on SQL Server and Azure SQL. Connections come from SqlClient's pool; each call takes
/// one for its own duration, so entities commit in parallel and lock only their own rows; Entra logins are SqlClient's
/// own (see <see cref="SqlServerConnectionString"/>). Every transaction runs with XACT_ABORT ON, so any error rolls all of it back.
/// The page commit is in <c>SqlServerTarget.Commit.cs</c>; re-seeds, drift, metadata, commands, leases and the
/// quarantine each have their own partial file.
/// </summary>
internal sealed partial class SqlServerTarget : IReportingTarget
{
    /// <summary>sp_getapplock resource that serialises our DDL across workers (IF OBJECT_ID ... CREATE is not atomic).</summary>
    private const string DdlLock = "ReportingSync.DDL";

    private readonly string _connectionString;
    private readonly SqlServerSchemaWriter _schema;
    private readonly SqlServerStateStore _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _endpoint;
    private readonly string? _password;
    private readonly bool _labelViews;

    public SqlServerTarget(
        string connectionString, SqlServerSchemaWriter schema, TimeProvider time, ILogger logger,
        string endpoint, string? password, bool labelViews = true)
    {
        _connectionString = connectionString;
        _schema = schema;
        _state = new SqlServerStateStore(schema);
        _time = time;
        _logger = logger;
        _endpoint = endpoint;
        _password = password;
        _labelViews = labelViews;
    }

    public string Provider => nameof(TargetProvider.SqlServer);

    public Task CheckAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand("SELECT 1;", connection);
        await command.ExecuteScalarAsync(cancellationToken);
        return 0;
    });

    public Task InitializeAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        var tables = StateTables.All.Select(_schema.Owned).ToList();
        var stateColumns = await ColumnsAsync(connection, null, _schema.Owned(StateTables.EntityStateTable), cancellationToken);
        var missing = stateColumns is null
            ? []
            : StateTables.EntityStateAddedColumns.Select(c => c.Name).Where(n => !stateColumns.Any(c => c.Name == n)).ToList();

        // Already there and current (a DBA may have run the scripts and given us a login without CREATE): touch nothing.
        if (!await AllExistAsync(connection, tables, cancellationToken) || missing.Count > 0)
        {
            await using var transaction = await BeginAsync(connection, cancellationToken);
            foreach (var statement in _schema.CreateStateTables())
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            if (missing.Count > 0)
            {
                _logger.StateTablesUpgraded(Provider, string.Join(", ", missing));
            }
        }

        _logger.TargetInitialized(Provider, _endpoint);
        return 0;
    });

    /// <summary>Creates the table when missing; otherwise widens the columns the layout declares wider (<see cref="ColumnWidening.WidenInPlaceAsync"/>).</summary>
    public async Task EnsureTableAsync(TableLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var created = await RunAsync(async () =>
        {
            var qualified = QualifiedTable(layout.TableName, layout);
            var ddl = _schema.CreateTable(layout);
            await using var connection = await OpenAsync(cancellationToken);
            if (await AllExistAsync(connection, [qualified], cancellationToken))
            {
                return false;
            }

            await using var transaction = await BeginAsync(connection, cancellationToken);
            await ExecuteAsync(connection, transaction, ddl, cancellationToken);
            await RefreshLabelViewAsync(connection, transaction, layout, labels: null, cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
        return await _state.LoadAsync(connection, null, cancellationToken);
    });

    public Task<EntityState?> LoadStateAsync(string entityName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entityName);
        await using var connection = await OpenAsync(cancellationToken);
        var states = await _state.LoadAsync(connection, entityName, cancellationToken);
        return states.Count == 0 ? null : states[0];
    });

    public Task SaveStateAsync(EntityState state, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(state);
        await using var connection = await OpenAsync(cancellationToken);
        await _state.SaveAsync(connection, state, cancellationToken);
        return 0;
    });

    public Task AppendHistoryAsync(SyncHistoryEntry entry, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken);
        await _state.AppendHistoryAsync(connection, entry, cancellationToken);
        return 0;
    });

    public Task AppendSchemaChangeAsync(SchemaChangeEntry entry, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken);
        await _state.AppendSchemaChangeAsync(connection, entry, cancellationToken);
        return 0;
    });

    public Task<long> CountRowsAsync(string tableName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var qualified = QualifiedTable(tableName, null);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(SqlServerStatements.Count(qualified), connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    });

    public async IAsyncEnumerable<object?[]> ReadRowsAsync(
        TableLayout layout, string? tableName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var sql = SqlServerStatements.SelectRows(QualifiedTable(tableName ?? layout.TableName, layout), layout);
        var (connection, command, reader) = await RunAsync(async () =>
        {
            var c = await OpenAsync(cancellationToken);
            var cmd = new SqlCommand(sql, c);
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
                    row[i] = SqlServerValues.Read(reader, i, columns[i].Type);
                }

                yield return row;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        // SqlClient's pool is per connection string and process-wide; clear ours so a disposed target holds no sessions.
        using var connection = new SqlConnection(_connectionString);
        SqlConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    /// <summary>Opens a pooled connection.</summary>
    private async Task<SqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A transaction with XACT_ABORT ON (an error dooms and rolls back all of it, rather than only the failing
    /// statement) that holds the DDL app lock until it ends.
    /// </summary>
    private static async Task<SqlTransaction> BeginAsync(SqlConnection connection, CancellationToken ct, bool lockDdl = true)
    {
        await using (var abort = new SqlCommand("SET XACT_ABORT ON;", connection))
        {
            await abort.ExecuteNonQueryAsync(ct);
        }

        var transaction = (SqlTransaction)await connection.BeginTransactionAsync(ct);
        if (lockDdl)
        {
            await using var command = new SqlCommand(
                $"EXEC sp_getapplock @Resource = {SqlServerIdentifier.Literal(DdlLock)}, @LockMode = N'Exclusive', @LockOwner = N'Transaction';",
                connection,
                transaction);
            await command.ExecuteNonQueryAsync(ct);
        }

        return transaction;
    }

    /// <summary>Validated, quoted, schema-qualified; refuses the replicator's own table names.</summary>
    private string QualifiedTable(string? table, TableLayout? layout)
    {
        SqlServerIdentifier.Validate(table, "table", layout?.EntityName);
        if (ReservedNames.IsReservedTableName(table!))
        {
            throw new InvalidSchemaException(layout?.EntityName ?? table!, $"the table name '{table}' is reserved for the replicator's own tables (DeleteLog, metadata).");
        }

        return _schema.Qualified(table!, layout?.EntityName);
    }

    private static async Task<bool> AllExistAsync(SqlConnection connection, IReadOnlyList<string> qualifiedNames, CancellationToken ct)
    {
        foreach (var name in qualifiedNames)
        {
            await using var command = new SqlCommand("SELECT OBJECT_ID(@name, N'U');", connection);
            command.Parameters.Add(SqlServerValues.Parameter("@name", ColumnStorageType.String, name, 4000));
            if (await command.ExecuteScalarAsync(ct) is null or DBNull)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The columns of a table in table order, or null when it does not exist.</summary>
    private static async Task<IReadOnlyList<TargetColumn>?> ColumnsAsync(SqlConnection connection, SqlTransaction? transaction, string qualifiedTable, CancellationToken ct)
    {
        await using var command = new SqlCommand(
            "SELECT c.name, t.name, c.max_length, c.precision, c.scale FROM sys.columns AS c " +
            "INNER JOIN sys.types AS t ON t.user_type_id = c.user_type_id WHERE c.object_id = OBJECT_ID(@table, N'U') ORDER BY c.column_id;",
            connection,
            transaction);
        command.Parameters.Add(SqlServerValues.Parameter("@table", ColumnStorageType.String, qualifiedTable, 4000));
        var columns = new List<TargetColumn>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (type, maxLength, precision, spelled) = SqlServerSchemaWriter.ParseType(
                reader.GetString(1), reader.GetInt16(2), reader.GetByte(3), reader.GetByte(4));
            columns.Add(new TargetColumn(reader.GetString(0), type, maxLength, precision, spelled));
        }

        return columns.Count == 0 ? null : columns;
    }

    private static async Task ExecuteAsync(SqlConnection connection, SqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new SqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs a database call and turns connection-level failures into <see cref="TargetUnavailableException"/>.</summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex) when (SqlServerErrors.Translate(ex, _endpoint, _password) is { } translated)
        {
            _logger.Unavailable(translated.IsTransient, translated.Message);
            throw translated;
        }
        catch (TargetUnavailableException unavailable)
        {
            _logger.Unavailable(unavailable.IsTransient, unavailable.Message);
            throw;
        }
    }
}
