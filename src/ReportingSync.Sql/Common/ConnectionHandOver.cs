using System.Data.Common;

namespace ReportingSync.Sql;

/// <summary>
/// Opens a connection for a session that keeps it across calls (a reconciliation key stage). Until the set-up has
/// handed the connection to its owner nobody else will dispose it, so a failure during set-up disposes it here.
/// </summary>
internal static class ConnectionHandOver
{
    public static async Task<T> OpenForAsync<TConnection, T>(Task<TConnection> opening, Func<TConnection, Task<T>> setUp)
        where TConnection : DbConnection
    {
        var connection = await opening.ConfigureAwait(false);
        try
        {
            return await setUp(connection).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
