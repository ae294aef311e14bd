using System.Data.Common;
using Npgsql;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.AnalystSchema;

/// <summary>The analyst schema scenarios on a real PostgreSQL (one database per test).</summary>
public sealed class PostgreSqlAnalystSchemaTests : AnalystSchemaScenarios
{
    protected override string Provider => "PostgreSql";

    protected override async Task<string> CreateDatabaseAsync() => await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();

    protected override async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override string Table(string name) => $"\"public\".\"{name}\"";

    protected override async Task<string> ColumnTypeAsync(string table, string column)
    {
        await using var connection = (NpgsqlConnection)await OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass(@table) AND attname = @column;", connection);
        command.Parameters.AddWithValue("table", Table(table));
        command.Parameters.AddWithValue("column", column);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
