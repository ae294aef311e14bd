using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// Turns SqlClient and server errors into the target's exceptions. Messages name the server and database and never the
/// password: they are built from the parsed connection string, and any server text is scrubbed too. Which error numbers
/// pass with time follows the lists Azure SQL documents for retry logic (and EF Core's SqlServerTransientExceptionDetector
/// uses): throttling and failover (40501, 40613, 40197, 49918-49920, 10928, 10929), deadlock victim (1205), timeouts
/// (-2) and broken transport (64, 121, 233, 10053, 10054, 10060, 20, 53, 11001).
/// </summary>
internal static class SqlServerErrors
{
    /// <summary>The target exception for <paramref name="exception"/>, or null when it is not about availability.</summary>
    public static TargetException? Translate(Exception exception, string endpoint, string? password)
    {
        switch (exception)
        {
            case TargetException or OperationCanceledException:
                return null;
            case SqlException sql:
                var (transient, what) = Classify(sql);
                return what is null ? null : new TargetUnavailableException(Message(endpoint, $"{what} ({sql.Number}: {sql.Message})", password), sql, transient);
            case SocketException or TimeoutException or IOException:
                return new TargetUnavailableException(Message(endpoint, exception.Message, password), exception, isTransient: true);
            default:
                return null;
        }
    }

    private static (bool Transient, string? What) Classify(SqlException sql)
    {
        foreach (SqlError error in sql.Errors)
        {
            var found = error.Number switch
            {
                18456 or 18452 => (false, "login failed"),
                4060 => (false, "the database does not exist or the login cannot open it"),
                229 or 230 or 262 or 297 or 300 or 15247 => (false, "the login lacks a permission it needs"),
                40501 or 40613 or 40197 or 49918 or 49919 or 49920 or 10928 or 10929 or 40540 or 40143 or 4221 =>
                    (true, "the server is busy or failing over"),
                1205 => (true, "the transaction was chosen as a deadlock victim"),
                -2 => (true, "the command timed out"),
                64 or 121 or 233 or 10053 or 10054 or 10060 or 20 or 53 or 11001 or 40 or -1 => (true, "the connection failed"),

                // The managed network layer (Linux, containers) reports a refused or unresolvable server as number 0,
                // class 20 ("error: 40 - Could not open a connection", "error: 35 - An internal exception was caught").
                0 when error.Class >= 20 => (true, "the connection failed"),
                _ => (false, (string?)null),
            };
            if (found.Item2 is not null)
            {
                return found;
            }
        }

        return (false, null);
    }

    private static string Message(string endpoint, string reason, string? password)
    {
        var message = $"The reporting database ({endpoint}) is unavailable: {reason}";
        return string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
    }
}
