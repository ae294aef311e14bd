using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// Parses and describes Microsoft.Data.SqlClient connection strings without ever echoing the password, and decides how
/// the target logs in: with what the connection string says (SQL login, Windows, or an <c>Authentication</c> mode such
/// as <c>Active Directory Default</c>, <c>Managed Identity</c> or <c>Workload Identity</c>, which SqlClient 6.1 does
/// itself over Azure.Identity), or, when it carries no credentials at all, with <c>Active Directory Default</c>: a
/// worker in Azure then logs in with its workload or managed identity without a secret in its settings.
/// </summary>
internal static class SqlServerConnectionString
{
    /// <summary>The error a user sees for a bad connection string, or null when it is usable.</summary>
    public static string? Validate(string connectionString) => TryPlan(connectionString, out _);

    /// <summary>The connection string to open.</summary>
    public static SqlConnectionStringBuilder Plan(string connectionString)
    {
        var error = TryPlan(connectionString, out var plan);
        return error is null ? plan! : throw new TargetConfigurationException(error);
    }

    /// <summary>"SQL Server at tcp:x.database.windows.net,1433, database 'reporting'": enough to find it, no secrets.</summary>
    public static string Describe(SqlConnectionStringBuilder builder) =>
        $"SQL Server at {builder.DataSource}, database '{(string.IsNullOrEmpty(builder.InitialCatalog) ? "(default)" : builder.InitialCatalog)}'";

    private static string? TryPlan(string connectionString, out SqlConnectionStringBuilder? plan)
    {
        plan = null;
        var syntax = ConnectionStrings.SyntaxError(connectionString);
        if (syntax is not null)
        {
            return $"{ConnectionStrings.Key} is not a valid SQL Server connection string: {syntax}";
        }

        SqlConnectionStringBuilder builder;
        try
        {
            builder = new SqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return $"{ConnectionStrings.Key} is not a valid SQL Server connection string: {ConnectionStrings.Redact(ex.Message, connectionString)}";
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            return $"{ConnectionStrings.Key} is not a valid SQL Server connection string: it has no Server (Data Source).";
        }

        var generic = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var hasCredentials = generic.ContainsKey("Authentication") || generic.ContainsKey("User ID") || generic.ContainsKey("UID") || generic.ContainsKey("User")
                             || generic.ContainsKey("Password") || generic.ContainsKey("PWD") || generic.ContainsKey("Integrated Security") || generic.ContainsKey("Trusted_Connection");
        if (!hasCredentials)
        {
            builder.Authentication = SqlAuthenticationMethod.ActiveDirectoryDefault;
        }

        plan = builder;
        return null;
    }
}
