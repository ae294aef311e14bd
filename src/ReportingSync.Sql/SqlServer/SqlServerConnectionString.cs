using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// Parses and describes Microsoft.Data.SqlClient connection strings without ever echoing the password, and decides how
/// the target logs in: with what the connection string says (SQL login, Windows, or an <c>Authentication</c> mode the
/// driver supports), or with an access token from a host-registered <see cref="SqlServerAccessTokenProvider"/>.
/// SqlClient 2.1 supports <c>Active Directory Managed Identity</c> (also spelled <c>Active Directory MSI</c>), password,
/// integrated, interactive, service principal and device code flow; <c>Active Directory Default</c> arrived in 3.0
/// (SqlClient release notes; its SqlAuthenticationMethod enum in 2.1.4 has no such member).
/// </summary>
internal static class SqlServerConnectionString
{
    private const string AuthenticationKey = "Authentication";

    /// <summary>The error a user sees for a bad connection string, or null when it is usable.</summary>
    public static string? Validate(string connectionString, bool hasAccessTokenProvider) =>
        TryPlan(connectionString, hasAccessTokenProvider, out _);

    /// <summary>The connection string to open and whether to set <c>SqlConnection.AccessToken</c> from the provider.</summary>
    public static (SqlConnectionStringBuilder Builder, bool UseAccessToken) Plan(string connectionString, bool hasAccessTokenProvider)
    {
        var error = TryPlan(connectionString, hasAccessTokenProvider, out var plan);
        return error is null ? plan : throw new TargetConfigurationException(error);
    }

    /// <summary>"SQL Server at tcp:x.database.windows.net,1433, database 'reporting'": enough to find it, no secrets.</summary>
    public static string Describe(SqlConnectionStringBuilder builder) =>
        $"SQL Server at {builder.DataSource}, database '{(string.IsNullOrEmpty(builder.InitialCatalog) ? "(default)" : builder.InitialCatalog)}'";

    private static string? TryPlan(string connectionString, bool hasAccessTokenProvider, out (SqlConnectionStringBuilder, bool) plan)
    {
        plan = default;
        var syntax = ConnectionStrings.SyntaxError(connectionString);
        if (syntax is not null)
        {
            return $"{ConnectionStrings.Key} is not a valid SQL Server connection string: {syntax}";
        }

        var generic = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var authentication = generic.TryGetValue(AuthenticationKey, out var value) ? Normalize(value as string) : null;
        var hasCredentials = authentication is not null || generic.ContainsKey("User ID") || generic.ContainsKey("UID") || generic.ContainsKey("User")
                             || generic.ContainsKey("Password") || generic.ContainsKey("PWD") || generic.ContainsKey("Integrated Security") || generic.ContainsKey("Trusted_Connection");
        var useToken = false;
        if (authentication == "activedirectorydefault" && hasAccessTokenProvider)
        {
            // The host's credential (DefaultAzureCredential) does what the driver would; a user-assigned identity's
            // client id (User ID) is the credential's business then, and SqlClient refuses AccessToken next to either key.
            generic.Remove(AuthenticationKey);
            foreach (var key in new[] { "User ID", "UID", "User" })
            {
                generic.Remove(key);
            }

            useToken = true;
        }
        else if (!hasCredentials && hasAccessTokenProvider)
        {
            useToken = true;
        }

        SqlConnectionStringBuilder builder;
        try
        {
            builder = new SqlConnectionStringBuilder(generic.ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            if (authentication == "activedirectorydefault")
            {
                return $"{ConnectionStrings.Key} asks for Authentication=Active Directory Default, which this build's Microsoft.Data.SqlClient " +
                       "(2.1.4) does not support (it needs 3.0 or later): use Authentication=Active Directory Managed Identity, " +
                       "or let the host register a SqlServerAccessTokenProvider (an Azure.Identity credential).";
            }

            return $"{ConnectionStrings.Key} is not a valid SQL Server connection string: {ConnectionStrings.Redact(ex.Message, connectionString)}";
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            return $"{ConnectionStrings.Key} is not a valid SQL Server connection string: it has no Server (Data Source).";
        }

        plan = (builder, useToken);
        return null;
    }

    private static string? Normalize(string? value) =>
        value?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
}
