using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// Connections from SqlClient's pool; each call takes its own, so entities commit in parallel and lock only their own
/// rows. Entra logins are SqlClient's own (<c>Authentication=Active Directory …</c>, see <see cref="SqlServerConnectionString"/>).
/// </summary>
internal sealed class SqlServerConnections(string connectionString) : ConnectionSource
{
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>SqlClient's pool is per connection string and process-wide; clear ours so a disposed target holds no sessions.</summary>
    public override ValueTask DisposeAsync()
    {
        using var connection = new SqlConnection(connectionString);
        SqlConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
