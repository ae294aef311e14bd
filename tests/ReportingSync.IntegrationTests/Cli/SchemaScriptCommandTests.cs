using Microsoft.Data.Sqlite;
using Npgsql;
using ReportingSync.Cli;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Sql;

namespace ReportingSync.IntegrationTests.Cli;

/// <summary>
/// <c>reportingsync schema script</c>, invoked as the command line does (<see cref="ReportingSyncCli.InvokeAsync"/>), with
/// entity metadata read from the simulator through the configured Dataverse source. The PostgreSQL and SQLite scripts are
/// run the way a DBA would, and the worker then replicates into the database they made.
/// </summary>
public sealed class SchemaScriptCommandTests : IAsyncLifetime
{
    private static readonly string[] Entities = ["dfeta_induction", "contact"];

    private readonly TempDirectory _directory = new();
    private SimulatorHost _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Entities = Entities, RowCounts = { ["dfeta_induction"] = 5, ["contact"] = 5 } });

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task It_prints_batches_of_T_SQL_for_state_metadata_and_every_configured_entity()
    {
        var (exit, output, error) = await InvokeAsync("schema", "script", "--provider", "SqlServer", "--config", Config("SqlServer", "unused"));

        (exit, error).Should().Be((ExitCodes.Success, ""));
        output.Should().StartWith("-- ReportingSync reference DDL for SqlServer: state schema and tables");
        foreach (var table in new[] { "[reportingsync].[EntityState]", "[dbo].[OptionSetMetadata]", "[dbo].[AttributeMetadata]", "[dbo].[dfeta_induction]", "[dbo].[contact]" })
        {
            output.Should().Contain($"CREATE TABLE {table}", table);
        }

        output.Should().Contain("CREATE VIEW [dbo].[dfeta_induction_labelled]").And.Contain("\nGO\n");
        output.Should().Contain("[createdon] datetime2 NULL").And.Contain("[birthdate] date NULL");
    }

    [Fact]
    public async Task With_compat_Des_the_tables_take_the_Data_Export_Service_types()
    {
        var (exit, output, _) = await InvokeAsync("schema", "script", "--provider", "SqlServer", "--compat", "Des", "--config", Config("SqlServer", "unused"));

        exit.Should().Be(ExitCodes.Success);
        output.Should().Contain("[createdon] datetime NULL").And.Contain("[birthdate] datetime NULL").And.Contain("[address1_latitude] decimal(38,5) NULL");
    }

    [Fact]
    public async Task The_PostgreSql_script_makes_a_database_the_worker_replicates_into()
    {
        var database = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();
        var (exit, script, _) = await InvokeAsync("schema", "script", "--provider", "PostgreSql", "--config", Config("PostgreSql", database));
        exit.Should().Be(ExitCodes.Success);

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(script, connection);
            await command.ExecuteNonQueryAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_views WHERE viewname = 'dfeta_induction_labelled';", connection);
            (await count.ExecuteScalarAsync()).Should().Be(1L, "the script creates the label views");
        }

        var outcomes = await WorkerUnderTest.PassAsync(_simulator, "PostgreSql", database, Entities);
        outcomes.Sum(o => o.Result.Upserts).Should().Be(10);
    }

    [Fact]
    public async Task The_Sqlite_script_makes_a_database_the_worker_replicates_into()
    {
        var database = $"Data Source={_directory.File("scripted.db")}";
        var (exit, script, _) = await InvokeAsync("schema", "script", "--provider", "Sqlite", "--config", Config("Sqlite", database));
        exit.Should().Be(ExitCodes.Success);

        await using (var connection = new SqliteConnection(database + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand(script, connection);
            await command.ExecuteNonQueryAsync();
        }

        var outcomes = await WorkerUnderTest.PassAsync(_simulator, "Sqlite", database, Entities);
        outcomes.Sum(o => o.Result.Upserts).Should().Be(10);
    }

    [Fact]
    public async Task An_entity_Dataverse_does_not_have_is_named_and_nothing_is_printed()
    {
        var config = new WorkerConfig { DataverseUrl = _simulator.BaseUrl, Provider = "SqlServer", ConnectionString = "Server=x", Entities = ["contact", "nosuchtable"] }
            .WriteTo(_directory.Path);

        var (exit, output, error) = await InvokeAsync("schema", "script", "--provider", "SqlServer", "--config", config);

        exit.Should().Be(ExitCodes.CannotStart);
        output.Should().BeEmpty();
        error.Should().StartWith("Cannot start:").And.Contain("nosuchtable");
    }

    private string Config(string provider, string connectionString) =>
        new WorkerConfig { DataverseUrl = _simulator.BaseUrl, Provider = provider, ConnectionString = connectionString, Entities = Entities }.WriteTo(_directory.Path);

    private static async Task<(int Exit, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ReportingSyncCli.InvokeAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
