using System.Text.Json;
using System.Text.RegularExpressions;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Budget;

/// <summary>
/// What ops see of adaptive polling and the request budget on a running worker (the executable, against the simulator
/// and SQLite): each table's poll interval and the requests against the budget on <c>/status</c>, on <c>/metrics</c>,
/// and from <c>reportingsync status</c>, a separate process that reads the worker's report from the state schema.
/// </summary>
public sealed partial class PaceStatusTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private static readonly string[] Tables = ["contact", "dfeta_qtsregistration"];

    [Fact]
    public async Task A_busy_table_polls_at_the_minimum_a_quiet_one_backs_off_and_both_and_the_budget_show_on_status_metrics_and_the_cli()
    {
        using var temp = new TempDirectory("reportingsync-pace-");
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Entities = [.. Tables, "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 100, ["dfeta_qtsregistration"] = 100 },
        });
        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = "Sqlite",
            ConnectionString = $"Data Source={temp.File("pace.db")}",
            Entities = Tables,
            PollInterval = null,
            Extra = { ["ReportingSync:MaxPollInterval"] = "00:00:04" },
        }.WriteTo(temp.Path);

        await using var worker = WorkerProcess.Start("run", "--config", config);
        await worker.WaitForOutputAsync("status page and metrics at http://", TimeSpan.FromMinutes(1));
        using var http = new HttpClient { BaseAddress = new Uri(ListeningAddress().Match(worker.Output).Groups[1].Value), Timeout = TimeSpan.FromSeconds(30) };
        simulator.ChangeGenerator.Start(5, ["contact"]);
        try
        {
            // contact changes all the time: read every second; dfeta_qtsregistration does not: backed off to the maximum.
            JsonElement status = default;
            await Operations.Eventually.TrueAsync(
                async () =>
                {
                    status = JsonDocument.Parse(await http.GetStringAsync("status")).RootElement;
                    return Poll(status, "contact") == 1 && Poll(status, "dfeta_qtsregistration") == 4;
                },
                Settle, "contact polled every second and the quiet table every 4 s");
            output.WriteLine(status.GetProperty("budget").ToString());
            var budget = status.GetProperty("budget");
            budget.GetProperty("budgetPerSecond").GetDouble().Should().Be(10);
            budget.GetProperty("budgetPerFiveMinutes").GetDouble().Should().Be(3000);
            budget.GetProperty("requestsLastFiveMinutes").GetInt64().Should().BeGreaterThan(0);
            budget.GetProperty("usedPercent").GetDouble().Should().BeGreaterThan(0).And.BeLessThan(100);

            var metrics = await http.GetStringAsync("metrics");
            metrics.Should().MatchRegex(@"reportingsync_poll_interval_seconds\{[^}]*entity=""dfeta_qtsregistration""[^}]*\} 4\b")
                .And.Contain("reportingsync_dataverse_budget_used");

            // reportingsync status, a process of its own, reads the worker's report (written every 15 s) from the database.
            IReadOnlyDictionary<string, JsonElement> rows = new Dictionary<string, JsonElement>();
            await Operations.Eventually.TrueAsync(
                async () =>
                {
                    var (code, text) = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(1), "status", "--config", config, "--json");
                    code.Should().Be(0, text);
                    rows = JsonDocument.Parse(JsonArray(text)).RootElement.EnumerateArray()
                        .ToDictionary(r => r.GetProperty("entity").GetString()!, r => r.Clone());
                    return rows["dfeta_qtsregistration"].GetProperty("pollIntervalSeconds") is { ValueKind: JsonValueKind.Number } quiet && quiet.GetDouble() == 4
                        && rows["contact"].GetProperty("pollIntervalSeconds") is { ValueKind: JsonValueKind.Number } busy && busy.GetDouble() <= 2;
                },
                Settle, "status --json shows both intervals from the worker's report");
            rows["contact"].GetProperty("workerRequestsLast5Minutes").GetInt64().Should().BeGreaterThan(0);
            rows["contact"].GetProperty("workerBudgetUsedPercent").GetDouble().Should().BeGreaterThan(0);

            var (exitCode, table) = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(1), "status", "--config", config);
            output.WriteLine(table);
            exitCode.Should().Be(0, table);
            table.Should().MatchRegex(@"worker \S+: \d+ Dataverse requests in the last 5 minutes, [\d.]+% of its budget \(3000 per 5 minutes\)");
        }
        finally
        {
            await simulator.ChangeGenerator.StopAsync();
        }
    }

    private static double? Poll(JsonElement status, string entity) =>
        status.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entity").GetString() == entity)
            .GetProperty("pollIntervalSeconds") is { ValueKind: JsonValueKind.Number } seconds ? seconds.GetDouble() : null;

    /// <summary>The indented JSON array <c>status --json</c> writes on stdout, out of the process's combined output.</summary>
    private static string JsonArray(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.IndexOf("[");
        var end = lines.IndexOf("]", Math.Max(0, start));
        start.Should().BeGreaterThanOrEqualTo(0, output);
        return string.Join('\n', lines.Skip(start).Take(end - start + 1));
    }

    [GeneratedRegex(@"metrics at (http://\S+)")]
    private static partial Regex ListeningAddress();
}
