using System.Data.Common;
using Microsoft.Data.SqlClient;
using ReportingSync.IntegrationTests.AnalystSchema;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>
/// The analyst schema scenarios on a real SQL Server, when <c>REPORTINGSYNC_TEST_SQLSERVER</c> is set (the one skipped line
/// when it is not comes from <see cref="SqlServerTargetTests"/>).
/// </summary>
[RequiresEnvironment(SqlServerTestSchemas.Variable)]
public sealed class SqlServerAnalystSchemaTests : AnalystSchemaScenarios
{
    private readonly SqlServerTestSchemas _schemas = new();

    protected override string Provider => "SqlServer";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ReportingSync:Target:Schema"] = _schemas.Data,
        ["ReportingSync:Target:StateSchema"] = _schemas.State,
    };

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(SqlServerTestSchemas.ConnectionString);

    protected override async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = new SqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override string Table(string name) => $"[{_schemas.Data}].[{name}]";

    protected override async Task<string> ColumnTypeAsync(string table, string column)
    {
        await using var connection = (SqlConnection)await OpenConnectionAsync();
        await using var command = new SqlCommand(
            "SELECT TYPE_NAME(user_type_id) + N'(' + CAST(max_length / 2 AS nvarchar(10)) + N')' FROM sys.columns WHERE object_id = OBJECT_ID(@table) AND name = @column;",
            connection);
        command.Parameters.Add(new SqlParameter("@table", System.Data.SqlDbType.NVarChar, 300) { Value = Table(table) });
        command.Parameters.Add(new SqlParameter("@column", System.Data.SqlDbType.NVarChar, 128) { Value = column });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public override async Task DisposeAsync()
    {
        if (RequiresEnvironmentAttribute.IsSet(SqlServerTestSchemas.Variable))
        {
            await _schemas.DropAsync();
        }
    }
}
