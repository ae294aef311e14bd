using Npgsql;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.EndToEnd;

/// <summary>Secrets never reach any output: logs at Trace level, command output, status, error messages.</summary>
public sealed class SecretTests
{
    private const string ClientSecret = "Cl1ent-Secret-Value~xyz";
    private const string MaskKey = "Mask-Key-Value~qrs";
    private const string DatabasePassword = "Db-Passw0rd;With=Odd'Chars";
    private const string ApiKey = "Api-Key-For-Reseeds-5f3a";

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

        string Config(string connectionString) => WriteConfig(simulator, connectionString, temp, new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Npgsql"] = "Trace",
        });

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
            output.Should().NotContain(ClientSecret, command).And.NotContain(DatabasePassword, command).And.NotContain("Db-Passw0rd", command)
                .And.NotContain(MaskKey, command);
        }
    }

    [Fact]
    public async Task The_status_page_status_json_metrics_and_readiness_of_a_running_worker_show_no_secret()
    {
        using var temp = new TempDirectory("reportingsync-secrets-http-");
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Entities = ["contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 200 },
        });
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(await cluster.CreateDatabaseAsync()) { Password = DatabasePassword }.ConnectionString;
        var config = WriteConfig(simulator, connectionString, temp, new() { ["ReportingSync:Http:ApiKey"] = ApiKey });

        await using var worker = WorkerProcess.Start("run", "--config", config);
        await worker.WaitForOutputAsync("status page and metrics at http://", TimeSpan.FromMinutes(1));
        var url = new Uri(System.Text.RegularExpressions.Regex.Match(worker.Output, @"metrics at (http://\S+)").Groups[1].Value);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!(await http.GetStringAsync("status")).Contains("\"Streaming\"", StringComparison.Ordinal))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "contact should stream within a minute. Output:\n" + worker.Output);
            await Task.Delay(200);
        }

        var pages = new Dictionary<string, string>();
        foreach (var path in new[] { "", "status", "metrics", "readyz", "healthz" })
        {
            using var answer = await http.GetAsync(path);
            pages["/" + path] = await answer.Content.ReadAsStringAsync();
        }

        // A refused and an accepted re-seed request: the answers must not echo the key either.
        using (var refused = new HttpRequestMessage(HttpMethod.Post, "entities/contact/reseed") { Headers = { { "X-Api-Key", "wrong" } } })
        {
            using var answer = await http.SendAsync(refused);
            ((int)answer.StatusCode).Should().Be(401);
            pages["POST refused"] = await answer.Content.ReadAsStringAsync();
        }

        using (var accepted = new HttpRequestMessage(HttpMethod.Post, "entities/contact/reseed") { Headers = { { "X-Api-Key", ApiKey } } })
        {
            using var answer = await http.SendAsync(accepted);
            ((int)answer.StatusCode).Should().Be(202);
            pages["POST accepted"] = await answer.Content.ReadAsStringAsync();
        }

        pages["/status"].Should().Contain("\"reseedEnabled\":true");
        pages["/metrics"].Should().Contain("reportingsync_staleness_seconds");
        pages["log"] = worker.Output;
        foreach (var (page, text) in pages)
        {
            text.Should().NotContain(ClientSecret, page).And.NotContain("Db-Passw0rd", page).And.NotContain(ApiKey, page)
                .And.NotContain(connectionString, page).And.NotContain(MaskKey, page);
        }
    }

    /// <summary>A worker configuration that carries every secret the tests look for, plus test-specific settings.</summary>
    private static string WriteConfig(SimulatorHost simulator, string connectionString, TempDirectory temp, Dictionary<string, string> extra)
    {
        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = "PostgreSql",
            ConnectionString = connectionString,
            Entities = ["contact"],
            Extra =
            {
                ["ReportingSync:Dataverse:Auth:ClientSecret"] = ClientSecret,
                ["ReportingSync:MaskKey"] = MaskKey,
                ["ReportingSync:Dataverse:Auth:ClientId"] = "00000000-0000-0000-0000-000000000001",
                ["ReportingSync:Dataverse:Auth:TenantId"] = "00000000-0000-0000-0000-000000000002",
            },
        };
        foreach (var (key, value) in extra)
        {
            config.Extra[key] = value;
        }

        return config.WriteTo(temp.Path);
    }
}
