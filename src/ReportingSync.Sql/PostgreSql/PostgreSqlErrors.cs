using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;
using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// Turns Npgsql and server errors into the target's exceptions. Messages name the server (host, port, database) and
/// never the password: they are built from the parsed connection string, and any server text is scrubbed too.
/// </summary>
internal static partial class PostgreSqlErrors
{
    public const string UniqueViolation = "23505";

    /// <summary>The target exception for <paramref name="exception"/>, or null when it is not about availability.</summary>
    public static TargetException? Translate(Exception exception, string endpoint, string? password)
    {
        switch (exception)
        {
            case TargetException or OperationCanceledException:
                return null;
            case PostgresException pg:
                var (transient, what) = Classify(pg.SqlState);
                return what is null ? null : new TargetUnavailableException(Message(endpoint, $"{what} ({pg.SqlState}: {pg.MessageText})", password), pg, transient);
            case NpgsqlException npgsql:
                // Client-side failures: refused or dropped connections, timeouts, an exhausted pool. All may pass.
                return new TargetUnavailableException(Message(endpoint, Innermost(npgsql), password), npgsql, isTransient: true);
            case SocketException or TimeoutException or IOException:
                return new TargetUnavailableException(Message(endpoint, exception.Message, password), exception, isTransient: true);
            default:
                return null;
        }
    }

    /// <summary>
    /// A value the server refused during COPY or the upsert (a check we do not make ourselves): names the row from the
    /// COPY line number when the server gives one.
    /// </summary>
    public static RowRejectedException? TryRowRejected(Exception exception, string table, IReadOnlyList<Guid?> copiedIds)
    {
        if (exception is not PostgresException pg || !pg.SqlState.StartsWith("22", StringComparison.Ordinal) && pg.SqlState != "23502")
        {
            return null;
        }

        Guid? id = null;
        var column = pg.ColumnName ?? "(unknown)";
        var where = pg.Where is { } w ? CopyContext().Match(w) : Match.Empty;
        if (where.Success)
        {
            var line = int.Parse(where.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            id = line >= 1 && line <= copiedIds.Count ? copiedIds[line - 1] : null;
            column = where.Groups["column"].Success ? where.Groups["column"].Value : column;
        }

        return new RowRejectedException(table, column, id, $"PostgreSQL refused the value ({pg.SqlState}: {pg.MessageText}).", pg);
    }

    private static (bool Transient, string? What) Classify(string sqlState) => sqlState switch
    {
        "57P01" or "57P02" => (true, "the server shut down or terminated the connection"),
        "57P03" => (true, "the server is starting up or shutting down"),
        "53300" => (true, "the server has too many connections"),
        "53100" or "53200" => (true, "the server is out of disk space or memory"),
        "28000" or "28P01" => (false, "login failed"),
        "3D000" => (false, "the database does not exist"),
        "42501" => (false, "the login lacks a privilege it needs"),
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) => (true, "the connection failed"),
        _ => (false, null),
    };

    private static string Message(string endpoint, string reason, string? password)
    {
        var message = $"The reporting database ({endpoint}) is unavailable: {reason}";
        return string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
    }

    private static string Innermost(Exception exception)
    {
        var message = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            message = $"{message} {inner.Message}";
        }

        return message;
    }

    // Server context for COPY errors: "COPY account, line 3, column name: ..." (binary COPY counts rows as lines).
    [GeneratedRegex(@"COPY [^,]+, line (?<line>\d+)(?:, column (?<column>[A-Za-z0-9_]+))?", RegexOptions.CultureInvariant)]
    private static partial Regex CopyContext();
}
