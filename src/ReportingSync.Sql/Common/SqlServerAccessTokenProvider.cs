namespace ReportingSync.Sql;

/// <summary>
/// Supplies Microsoft Entra access tokens for Azure SQL (scope <c>https://database.windows.net/.default</c>). Register one
/// in the container (for example from Azure.Identity's <c>DefaultAzureCredential</c>, cached until near expiry) and the
/// SQL Server target sets <c>SqlConnection.AccessToken</c> from it whenever the connection string carries no credentials
/// of its own, or asks for <c>Authentication=Active Directory Default</c> (which Microsoft.Data.SqlClient before 3.0
/// cannot do by itself). It is called for every connection opened, so it should cache.
/// </summary>
public delegate Task<string> SqlServerAccessTokenProvider(CancellationToken cancellationToken);
