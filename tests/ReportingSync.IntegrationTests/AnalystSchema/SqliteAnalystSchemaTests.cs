using System.Data.Common;
using Microsoft.Data.Sqlite;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.AnalystSchema;

/// <summary>The analyst schema scenarios on a real SQLite file (one per test).</summary>
public sealed class SqliteAnalystSchemaTests : AnalystSchemaScenarios, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override string Provider => "Sqlite";

    protected override bool LimitsStringLength => false;

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult($"Data Source={_directory.File("reporting.db")}");

    protected override async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = new SqliteConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    protected override string Table(string name) => $"\"{name}\"";

    /// <summary>SQLite's declared type (it limits nothing; see <see cref="LimitsStringLength"/>).</summary>
    protected override async Task<string> ColumnTypeAsync(string table, string column)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT type FROM pragma_table_info($table) WHERE name = $column;";
        command.Parameters.Add(new SqliteParameter("$table", table));
        command.Parameters.Add(new SqliteParameter("$column", column));
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
