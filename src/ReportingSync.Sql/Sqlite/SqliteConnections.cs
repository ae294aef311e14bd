using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// SQLite has one writer per file, so every write goes through one long-lived connection behind a
/// <see cref="SemaphoreSlim"/>: per-entity loops queue their page commits instead of fighting over the file lock. WAL lets
/// reads run on connections of their own meanwhile. Every connection waits up to the connection string's timeout for a
/// lock another process holds (busy_timeout) instead of failing at once.
/// </summary>
internal sealed class SqliteConnections(SqliteConnectionStringBuilder builder) : ConnectionSource
{
    private readonly string _connectionString = builder.ConnectionString;
    private readonly int _busyTimeoutMs = Math.Max(builder.DefaultTimeout, 1) * 1000;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private bool _disposed;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            Pragma(connection, $"PRAGMA busy_timeout = {_busyTimeoutMs.ToString(CultureInfo.InvariantCulture)};");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="write"/> on the single writer connection, one caller at a time.</summary>
    public override async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await write(Writer()).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Opening a missing file creates it; a check that fails later (say, on the Dataverse side) must leave nothing behind,
    /// so a new file is only checked for a folder to live in.
    /// </summary>
    public override Task CheckAsync(CancellationToken cancellationToken)
    {
        var file = builder.DataSource;
        var inMemory = builder.Mode == SqliteOpenMode.Memory || file.Length == 0 || file == ":memory:" || file.StartsWith("file:", StringComparison.Ordinal);
        if (inMemory || File.Exists(file))
        {
            return base.CheckAsync(cancellationToken);
        }

        return Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(file)))
            ? Task.CompletedTask
            : throw new SqliteException("unable to open database file: its folder does not exist", 14);
    }

    public override async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_writer is not null)
            {
                // Pooled handles would keep the file open after we are gone (tests delete it; operators move it).
                SqliteConnection.ClearPool(_writer);
                await _writer.DisposeAsync().ConfigureAwait(false);
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
            Pragma(connection, $"PRAGMA busy_timeout = {_busyTimeoutMs.ToString(CultureInfo.InvariantCulture)}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return _writer = connection;
    }

    private static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = new SqliteCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
