using System.Data.Common;

namespace ReportingSync.Sql;

/// <summary>
/// Where the target's connections come from. PostgreSQL and SQL Server take each from their driver's pool, so entities
/// commit in parallel and lock only their own rows; SQLite has one writer per file, so its writes share one long-lived
/// connection, one caller at a time, while reads take their own (WAL lets them run meanwhile).
/// </summary>
internal abstract class ConnectionSource : IAsyncDisposable
{
    /// <summary>An open connection the caller disposes (reads, long-lived sessions).</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="write"/> on a connection for writing.</summary>
    public virtual async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await write(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Reaches the database and runs a trivial query.</summary>
    public virtual async Task CheckAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await new SqlSession(connection, null).ScalarAsync("SELECT 1;", cancellationToken).ConfigureAwait(false);
        }
    }

    public abstract ValueTask DisposeAsync();
}
