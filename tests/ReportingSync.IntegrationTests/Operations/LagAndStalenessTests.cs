using System.Text.Json;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Operations;

/// <summary>
/// Lag (a committed change's source <c>modifiedon</c> to its commit; 0 once a read finds nothing new) and staleness (time
/// since the last completed read) as <c>status</c> and <c>/status</c> show them. The simulator's rows were last changed
/// in mid-2025, so the age of the newest source change, which status used to call lag, is over a year.
/// </summary>
public sealed class LagAndStalenessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _temp = new("reportingsync-lag-");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Status_shows_a_quiet_table_read_seconds_ago_as_fresh_with_lag_0_and_a_new_change_with_its_own_lag(string provider)
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 83,
            Entities = ["contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 40 },
        });
        var connectionString = provider == "Sqlite"
            ? $"Data Source={_temp.File("lag.db")}"
            : await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();
        var config = new WorkerConfig { DataverseUrl = simulator.BaseUrl, Provider = provider, ConnectionString = connectionString, Entities = ["contact"] }
            .WriteTo(_temp.Path);

        await RunOnceAsync(config);
        var quiet = await StatusAsync(config);
        quiet.GetProperty("lastSourceChangeUtc").GetDateTime().Should().BeBefore(DateTime.UtcNow.AddDays(-30), "the precondition: the newest source change is old");
        quiet.GetProperty("stalenessSeconds").GetDouble().Should().BeInRange(0, 60, "the table was read moments ago");
        quiet.GetProperty("lagSeconds").GetDouble().Should().Be(0, "the last read found nothing new: nothing is behind");

        // A change made now, committed by a read some seconds later, has that lag; the next read that finds nothing is back at 0.
        var changed = simulator.Store.Snapshot("contact").First().Id;
        simulator.Store.Update("contact", changed, new Dictionary<string, object?>());
        await Task.Delay(TimeSpan.FromSeconds(2));
        await RunOnceAsync(config);
        var afterChange = await StatusAsync(config);
        afterChange.GetProperty("lagSeconds").GetDouble().Should().BeInRange(2, 120, "the change waited at least the 2 s before the read");
        afterChange.GetProperty("stalenessSeconds").GetDouble().Should().BeInRange(0, 60);

        await RunOnceAsync(config);
        (await StatusAsync(config)).GetProperty("lagSeconds").GetDouble().Should().Be(0);

        var (exitCode, text) = await WorkerProcess.RunAsync(Timeout, "status", "--config", config);
        output.WriteLine(text);
        exitCode.Should().Be(0, text);
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        var header = lines.Single(l => l.StartsWith("entity", StringComparison.Ordinal));
        header.Should().Contain("staleness").And.Contain("lag");
        var row = lines.Single(l => l.StartsWith("contact ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        row[1].Should().Be("Streaming");
        row[3].Should().MatchRegex(@"^\d+(\.\d)?s$", "staleness in seconds");
        row[4].Should().Be("0s", "lag");
    }

    [Fact]
    public async Task The_status_endpoint_shows_the_lag_of_a_change_then_0_once_a_read_finds_nothing_new()
    {
        const string entity = "dfeta_qtsregistration";
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 84,
            Entities = [entity, "contact", "systemuser", "transactioncurrency"],
            RowCounts = { [entity] = 60, ["contact"] = 30 },
        });
        await using var database = await SqliteDatabase.CreateAsync();
        await using var worker = await OperationsWorker.StartAsync(simulator, "Sqlite", database.ConnectionString, [entity],
            new Dictionary<string, string?> { ["ReportingSync:PollInterval"] = "00:00:01" });
        await worker.RunAsync();

        await Eventually.TrueAsync(async () => Lag(await EntityAsync(worker, entity)) == 0, Timeout,
            "streaming with nothing new to read: lag 0, although the newest source change is over a year old");
        var fresh = await EntityAsync(worker, entity);
        fresh.GetProperty("stalenessSeconds").GetDouble().Should().BeLessThan(30);

        simulator.Store.Update(entity, simulator.Store.Snapshot(entity).First().Id, new Dictionary<string, object?>());
        await Eventually.TrueAsync(async () => Lag(await EntityAsync(worker, entity)) > 0, Timeout, "the change's lag is shown once it is committed");
        output.WriteLine($"lag of the change: {Lag(await EntityAsync(worker, entity))} s");
        await Eventually.TrueAsync(async () => Lag(await EntityAsync(worker, entity)) == 0, Timeout, "the next read finds nothing new: lag falls back to 0");
    }

    private static double? Lag(JsonElement entity) =>
        entity.GetProperty("lagSeconds").ValueKind == JsonValueKind.Number ? entity.GetProperty("lagSeconds").GetDouble() : null;

    private static async Task<JsonElement> EntityAsync(OperationsWorker worker, string entity) =>
        (await worker.StatusAsync()).GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entity").GetString() == entity);

    private async Task RunOnceAsync(string config)
    {
        var (exitCode, text) = await WorkerProcess.RunAsync(Timeout, "run", "--config", config, "--once");
        exitCode.Should().Be(0, text);
    }

    private async Task<JsonElement> StatusAsync(string config)
    {
        // Logs go to stderr, which the harness captures with stdout: quiet them so the output is the JSON alone.
        await using var status = WorkerProcess.Start(
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" }, "status", "--config", config, "--json");
        var exitCode = await status.WaitForExitAsync(Timeout);
        var json = status.Output;
        output.WriteLine(json);
        exitCode.Should().Be(0, json);
        using var document = JsonDocument.Parse(json[json.IndexOf('[', StringComparison.Ordinal)..]);
        return document.RootElement.EnumerateArray().Single(e => e.GetProperty("entity").GetString() == "contact").Clone();
    }
}
