using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// <see cref="IReportingTarget"/> on SQLite. SQLite has one writer per file, so every write goes through one
/// long-lived connection behind a <see cref="SemaphoreSlim"/>: per-entity loops queue their page commits instead of
/// fighting over the file lock. WAL lets reads run on their own (pooled) connections meanwhile.
/// The page commit is in <c>SqliteTarget.Commit.cs</c>; re-seeds, drift, metadata, commands, leases and the
/// quarantine each have their own partial file.
/// </summary>
internal sealed partial class SqliteTarget : IReportingTarget
{
    private readonly string _connectionString;
    private readonly SqliteSchemaWriter _schema;
    private readonly SqliteStateStore _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _endpoint;
    private readonly int _busyTimeoutMs;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly bool _labelViews;
    private SqliteConnection? _writer;
    private bool _disposed;

    public SqliteTarget(SqliteConnectionStringBuilder connectionString, SqliteSchemaWriter schema, TimeProvider time, ILogger logger, bool labelViews = true)
    {
        _labelViews = labelViews;
        _connectionString = connectionString.ConnectionString;
        _busyTimeoutMs = Math.Max(connectionString.DefaultTimeout, 1) * 1000;
        _schema = schema;
        _state = new SqliteStateStore(schema);
        _time = time;
        _logger = logger;
        _endpoint = SqliteConnectionString.Describe(connectionString);
    }

    public string Provider => nameof(TargetProvider.Sqlite);

    public Task CheckAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        // Opening a missing file creates it; a check that fails later (say, on the Dataverse side) must leave nothing
        // behind, so a new file is only checked for a folder to live in.
        if (NewDatabaseFile() is { } file)
        {
            if (!Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(file))))
            {
                throw new SqliteException("unable to open database file: its folder does not exist", 14);
            }

            return 0;
        }

        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = new SqliteCommand("SELECT 1;", connection);
        await command.ExecuteScalarAsync(cancellationToken);
        return 0;
    });

    /// <summary>Creates what is missing and appends the columns an EntityState of the first version lacks.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => WriteAsync(connection =>
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var statement in _schema.CreateStateTables())
        {
            Execute(connection, transaction, statement);
        }

        var present = Columns(connection, transaction, _schema.EntityStateTable)!.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = StateTables.EntityStateAddedColumns.Where(c => !present.Contains(c.Name)).ToList();
        foreach (var statement in _schema.AddStateColumns(missing))
        {
            Execute(connection, transaction, statement);
        }

        transaction.Commit();
        if (missing.Count > 0)
        {
            _logger.StateTablesUpgraded(Provider, string.Join(", ", missing.Select(c => c.Name)));
        }

        _logger.TargetInitialized(Provider, _endpoint);
        return 0;
    }, cancellationToken);

    public async Task EnsureTableAsync(TableLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var table = CheckTable(layout.TableName, layout);
        var ddl = SqliteSchemaWriter.CreateTable(layout);
        // An existing table needs no widening here, unlike on the other databases: SQLite's declared types do not
        // constrain values (see AlterTableAsync), so a longer string or more decimal places already fit.
        await WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var exists = new SqliteCommand("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name COLLATE NOCASE;", connection, transaction);
            exists.Parameters.AddWithValue("$name", table);
            if ((long)exists.ExecuteScalar()! == 0)
            {
                Execute(connection, transaction, ddl);
                RefreshLabelView(connection, transaction, layout, labels: null);
                _logger.TableCreated(table, layout.Columns.Count);
            }

            transaction.Commit();
            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<EntityState>> LoadStatesAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return await _state.LoadAsync(connection, null, cancellationToken);
    });

    public Task<EntityState?> LoadStateAsync(string entityName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entityName);
        await using var connection = await OpenReaderAsync(cancellationToken);
        var states = await _state.LoadAsync(connection, entityName, cancellationToken);
        return states.Count == 0 ? null : states[0];
    });

    public Task SaveStateAsync(EntityState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return WriteStateAsync(connection => _state.Save(connection, state), cancellationToken);
    }

    public Task AppendHistoryAsync(SyncHistoryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteStateAsync(connection => _state.AppendHistory(connection, entry), cancellationToken);
    }

    public Task AppendSchemaChangeAsync(SchemaChangeEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteStateAsync(connection => _state.AppendSchemaChange(connection, entry), cancellationToken);
    }

    public Task<long> CountRowsAsync(string tableName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var quoted = SqliteIdentifier.Quote(CheckTable(tableName, null), "table");
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = new SqliteCommand(SqliteStatements.Count(quoted), connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    });

    public async IAsyncEnumerable<object?[]> ReadRowsAsync(
        TableLayout layout, string? tableName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var table = CheckTable(tableName ?? layout.TableName, layout);
        var sql = SqliteStatements.SelectRows(SqliteIdentifier.Quote(table, "table", layout.EntityName), layout);
        var (connection, command, reader) = await RunAsync(async () =>
        {
            var c = await OpenReaderAsync(cancellationToken);
            var cmd = new SqliteCommand(sql, c);
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
                    row[i] = SqliteValues.Read(reader, i, columns[i].Type);
                }

                yield return row;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            _disposed = true;
            if (_writer is not null)
            {
                // Pooled handles would keep the file open after we are gone (tests delete it; operators move it).
                SqliteConnection.ClearPool(_writer);
                await _writer.DisposeAsync();
                _writer = null;
            }
            else
            {
                await using var probe = new SqliteConnection(_connectionString);
                SqliteConnection.ClearPool(probe);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="body"/> on the single writer connection, one caller at a time.</summary>
    /// <summary>A state-table write outside a page commit, through the same single-writer path.</summary>
    private Task WriteStateAsync(Action<SqliteConnection> write, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            write(connection);
            return 0;
        }, cancellationToken);

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> body, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await RunAsync(() => Task.FromResult(body(Writer())));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Opened on first write. WAL: readers do not block the writer; NORMAL sync is safe in WAL (a power cut
    /// can lose the last commits, data and state together, never corrupt), and the engine re-reads lost pages.</summary>
    private SqliteConnection Writer()
    {
        if (_writer is not null)
        {
            return _writer;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, null, $"PRAGMA busy_timeout = {_busyTimeoutMs.ToString(CultureInfo.InvariantCulture)}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return _writer = connection;
    }

    /// <summary>The database file when it does not exist yet (null for existing files and in-memory databases).</summary>
    private string? NewDatabaseFile()
    {
        var builder = new SqliteConnectionStringBuilder(_connectionString);
        var file = builder.DataSource;
        var inMemory = builder.Mode == SqliteOpenMode.Memory || file.Length == 0 || file == ":memory:" || file.StartsWith("file:", StringComparison.Ordinal);
        return inMemory || File.Exists(file) ? null : file;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
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

    /// <summary>Validated; refuses SQLite's and the replicator's own table names.</summary>
    private string CheckTable(string? table, TableLayout? layout)
    {
        SqliteIdentifier.Validate(table, "table", layout?.EntityName);
        if (ReservedNames.IsReservedTableName(table!, _schema.StatePrefix))
        {
            throw new InvalidSchemaException(layout?.EntityName ?? table!, $"the table name '{table}' is reserved for the replicator's own tables.");
        }

        return table!;
    }

    /// <summary>The columns of a table in table order (declared types mapped back), or null when it does not exist.</summary>
    private static IReadOnlyList<TargetColumn>? Columns(SqliteConnection connection, SqliteTransaction? transaction, string table)
    {
        using var command = new SqliteCommand("SELECT name, type FROM pragma_table_info($table) ORDER BY cid;", connection, transaction);
        command.Parameters.AddWithValue("$table", table);
        var columns = new List<TargetColumn>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var type = reader.GetString(1);
            var (storage, maxLength, precision) = SqliteSchemaWriter.ParseType(type);
            columns.Add(new TargetColumn(reader.GetString(0), storage, maxLength, precision, type));
        }

        return columns.Count == 0 ? null : columns;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = new SqliteCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private async Task<T> RunAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex) when (SqliteErrors.Translate(ex, _endpoint) is { } translated)
        {
            _logger.Unavailable(translated.IsTransient, translated.Message);
            throw translated;
        }
    }
}
