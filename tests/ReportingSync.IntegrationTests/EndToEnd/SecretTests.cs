using Npgsql;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.EndToEnd;

/// <summary>Secrets never reach any output: logs at Trace level, command output, status, error messages.</summary>
public sealed class SecretTests
{
    private const string ClientSecret = "Cl1ent-Secret-Value~xyz";
    private const string DatabasePassword = "Db-Passw0rd;With=Odd'Chars";

    [Fact]
    public async Task No_output_of_a_run_a_status_or_a_failure_contains_the_client_secret_or_the_database_password()
    {
        using var temp = new TempDirectory("reportingsync-secrets-");
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Entities = ["contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 300 },
        });
        var cluster = await PostgresCluster.GetSharedAsync();
        var good = new NpgsqlConnectionStringBuilder(await cluster.CreateDatabaseAsync()) { Password = DatabasePassword }.ConnectionString;
        var bad = new NpgsqlConnectionStringBuilder(good) { Database = "missing_db" }.ConnectionString;

        string Config(string connectionString) => new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = "PostgreSql",
            ConnectionString = connectionString,
            Entities = ["contact"],
            Extra =
            {
                ["ReportingSync:Dataverse:Auth:ClientSecret"] = ClientSecret,
                ["ReportingSync:Dataverse:Auth:ClientId"] = "00000000-0000-0000-0000-000000000001",
                ["ReportingSync:Dataverse:Auth:TenantId"] = "00000000-0000-0000-0000-000000000002",
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Microsoft"] = "Trace",
                ["Logging:LogLevel:Npgsql"] = "Trace",
            },
        }.WriteTo(temp.Path);

        var goodConfig = Config(good);
        var outputs = new List<(string Command, int ExitCode, string Output)>();
        foreach (var arguments in new[]
        {
            new[] { "run", "--config", goodConfig, "--once" },
            ["status", "--config", goodConfig],
            ["status", "--config", goodConfig, "--json"],
            ["run", "--config", Config(bad), "--once"],
        })
        {
            var (exitCode, output) = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(2), arguments);
            outputs.Add((string.Join(' ', arguments[..1]), exitCode, output));
        }

        outputs[0].ExitCode.Should().Be(0, outputs[0].Output);
        outputs[3].ExitCode.Should().Be(2, outputs[3].Output);
        outputs.Sum(o => o.Output.Length).Should().BeGreaterThan(5_000, "Trace logging must have produced plenty to search");
        foreach (var (command, _, output) in outputs)
        {
            output.Should().NotContain(ClientSecret, command).And.NotContain(DatabasePassword, command).And.NotContain("Db-Passw0rd", command);
        }
    }
}
