using System.Globalization;
using Npgsql;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>Parses and describes Npgsql connection strings without ever echoing the password.</summary>
internal static class PostgreSqlConnectionString
{
    /// <summary>The error a user sees for a bad connection string, or null when it is usable.</summary>
    public static string? Validate(string connectionString)
    {
        var error = TryParse(connectionString, out var builder);
        if (error is not null)
        {
            return error;
        }

        return string.IsNullOrWhiteSpace(builder!.Host)
            ? $"{ConnectionStrings.Key} is not a valid PostgreSQL connection string: it has no Host."
            : null;
    }

    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        var error = Validate(connectionString);
        return error is null ? new NpgsqlConnectionStringBuilder(connectionString) : throw new TargetConfigurationException(error);
    }

    /// <summary>"PostgreSQL at 127.0.0.1:5432, database 'x'": what an operator needs to find the server, no secrets.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"PostgreSQL at {builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}, database '{builder.Database ?? builder.Username ?? "(default)"}'";

    private static string? TryParse(string connectionString, out NpgsqlConnectionStringBuilder? builder)
    {
        builder = null;
        var syntax = ConnectionStrings.SyntaxError(connectionString);
        if (syntax is not null)
        {
            return $"{ConnectionStrings.Key} is not a valid PostgreSQL connection string: {syntax}";
        }

        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"{ConnectionStrings.Key} is not a valid PostgreSQL connection string: {ConnectionStrings.Redact(ex.Message, connectionString)}";
        }
    }
}
