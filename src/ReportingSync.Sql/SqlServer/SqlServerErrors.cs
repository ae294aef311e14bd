using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// Turns SqlClient and server errors into the target's exceptions. Messages name the server and database and never the
/// password: they are built from the parsed connection string, and any server text is scrubbed too. Which error numbers
/// pass with time (<see cref="Classify(int, byte)"/>) follows the list Azure SQL documents for retry logic ("Transient
/// fault error codes": 4060, 4221, 10928, 10929, 40197, 40501, 40613, 49918–49920), plus deadlock victims (1205),
/// command timeouts (-2) and broken transport (233, 10053, 10054, 10060 and the network layer's own numbers). A
/// transient error becomes a <see cref="TargetUnavailableException"/> with <c>IsTransient</c>, whose page commit the
/// engine tries again with backoff.
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

    /// <summary>
    /// What one server or driver error means: whether waiting helps, and what to tell the user (null: the error is not
    /// about availability, e.g. a constraint violation, and stays as it is). A pure function of the error number and
    /// its severity class, so the documented list is tested without a server.
    /// </summary>
    public static (bool Transient, string? What) Classify(int number, byte severity) => number switch
    {
        18456 or 18452 => (false, "login failed"),
        229 or 230 or 262 or 297 or 300 or 15247 => (false, "the login lacks a permission it needs"),

        // Azure SQL's transient list. 4060 is there because a database being moved or failed over refuses logins for a
        // moment; a wrong database name also gives 4060 and is then retried until the entity's backoff caps it.
        4060 => (true, "the database cannot be opened (it may be failing over)"),
        40501 or 40613 or 40197 or 49918 or 49919 or 49920 or 10928 or 10929 or 40540 or 40143 or 4221 =>
            (true, "the server is busy or failing over"),
        1205 => (true, "the transaction was chosen as a deadlock victim"),
        -2 => (true, "the command timed out"),
        64 or 121 or 233 or 10053 or 10054 or 10060 or 20 or 53 or 11001 or 40 or -1 => (true, "the connection failed"),

        // The managed network layer (Linux, containers) reports a refused or unresolvable server as number 0,
        // class 20 ("error: 40 - Could not open a connection", "error: 35 - An internal exception was caught").
        0 when severity >= 20 => (true, "the connection failed"),
        _ => (false, null),
    };

    private static (bool Transient, string? What) Classify(SqlException sql)
    {
        foreach (SqlError error in sql.Errors)
        {
            var found = Classify(error.Number, error.Class);
            if (found.What is not null)
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
