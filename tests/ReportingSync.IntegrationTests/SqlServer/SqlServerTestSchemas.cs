using Microsoft.Data.SqlClient;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>
/// Each SQL Server test works in its own pair of schemas (<c>rs_&lt;id&gt;</c> for data, <c>rs_&lt;id&gt;_state</c> for state)
/// on the server <c>REPORTINGSYNC_TEST_SQLSERVER</c> names (a login that may create schemas and tables), dropped afterwards.
/// </summary>
internal sealed class SqlServerTestSchemas
{
    public const string Variable = "REPORTINGSYNC_TEST_SQLSERVER";

    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable) ?? "";

    public string Data { get; } = "rs_" + Guid.NewGuid().ToString("N")[..12];

    public string State => Data + "_state";

    /// <summary>Drops every view and table in both schemas, then the schemas.</summary>
    public async Task DropAsync()
    {
        await using var connection = new SqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            DECLARE @sql nvarchar(max) = N'';
            SELECT @sql += N'DROP VIEW ' + QUOTENAME(SCHEMA_NAME(schema_id)) + N'.' + QUOTENAME(name) + N';' FROM sys.views WHERE SCHEMA_NAME(schema_id) IN (@data, @state);
            SELECT @sql += N'DROP TABLE ' + QUOTENAME(SCHEMA_NAME(schema_id)) + N'.' + QUOTENAME(name) + N';' FROM sys.tables WHERE SCHEMA_NAME(schema_id) IN (@data, @state);
            EXEC sp_executesql @sql;
            IF SCHEMA_ID(@data) IS NOT NULL EXEC(N'DROP SCHEMA ' + QUOTENAME(@data));
            IF SCHEMA_ID(@state) IS NOT NULL EXEC(N'DROP SCHEMA ' + QUOTENAME(@state));
            """;
        command.Parameters.Add(new SqlParameter("@data", System.Data.SqlDbType.NVarChar, 128) { Value = Data });
        command.Parameters.Add(new SqlParameter("@state", System.Data.SqlDbType.NVarChar, 128) { Value = State });
        await command.ExecuteNonQueryAsync();
    }
}
