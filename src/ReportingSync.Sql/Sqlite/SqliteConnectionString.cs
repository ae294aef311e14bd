using Microsoft.Data.Sqlite;

namespace ReportingSync.Sql.Sqlite;

/// <summary>Parses and describes Microsoft.Data.Sqlite connection strings without ever echoing the password.</summary>
internal static class SqliteConnectionString
{
    /// <summary>The error a user sees for a bad connection string, or null when it is usable.</summary>
    public static string? Validate(string connectionString)
    {
        var syntax = ConnectionStrings.SyntaxError(connectionString);
        if (syntax is not null)
        {
            return $"{ConnectionStrings.Key} is not a valid SQLite connection string: {syntax}";
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"{ConnectionStrings.Key} is not a valid SQLite connection string: {ConnectionStrings.Redact(ex.Message, connectionString)}";
        }

        // The target writes through one connection and reads through others: a private in-memory or temporary
        // database would be a different, empty database on each of them.
        if (string.IsNullOrWhiteSpace(builder.DataSource)
            || builder.DataSource == ":memory:"
            || builder.Mode == SqliteOpenMode.Memory
            || builder.Mode == SqliteOpenMode.ReadOnly)
        {
            return $"{ConnectionStrings.Key} must name a writable SQLite database file (Data Source=path/to/file.db); in-memory, temporary and read-only databases cannot hold replicated data.";
        }

        return null;
    }

    public static SqliteConnectionStringBuilder Parse(string connectionString)
    {
        var error = Validate(connectionString);
        return error is null ? new SqliteConnectionStringBuilder(connectionString) : throw new TargetConfigurationException(error);
    }

    /// <summary>"SQLite file '/data/reporting.db'": enough to find it, no secrets.</summary>
    public static string Describe(SqliteConnectionStringBuilder builder) => $"SQLite file '{builder.DataSource}'";
}
