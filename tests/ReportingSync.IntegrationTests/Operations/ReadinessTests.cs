using System.Diagnostics;
using System.Text.Json;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Operations;

/// <summary>Health and readiness against a real PostgreSQL that is stopped and started under the running worker.</summary>
public sealed class ReadinessTests(ITestOutputHelper output)
{
    private const string Entity = "dfeta_document";

    // Bounds sized for two cores shared with the rest of the suite.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Readyz_goes_unready_while_PostgreSQL_is_stopped_and_ready_again_when_it_is_back_while_healthz_stays_alive()
    {
        var clock = Stopwatch.StartNew();
        // Its own cluster: stopping the shared one would fail every other test running now.
        await using var cluster = await PostgresCluster.StartNewAsync();
        var connectionString = await cluster.CreateDatabaseAsync();
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 72,
            Entities = [Entity, "contact", "systemuser", "transactioncurrency"],
            RowCounts = { [Entity] = 200, ["contact"] = 50 },
        });
        await using var worker = await OperationsWorker.StartAsync(simulator, "PostgreSql", connectionString, [Entity]);

        // HTTP is up before the state tables exist (as in `run`): alive, not ready.
        (await worker.GetAsync("healthz")).Code.Should().Be(200);
        (await worker.GetAsync("readyz")).Code.Should().Be(503);

        await worker.RunAsync();
        await Eventually.TrueAsync(async () => (await worker.GetAsync("readyz")).Code == 200, Settle, "ready once the state is loaded");
        var ready = await worker.GetAsync("readyz");
        output.WriteLine($"ready: {ready.Body}");
        await Eventually.TrueAsync(() => worker.Staleness(Entity) < 5, Settle, "streaming with fresh delta cycles");

        await cluster.StopAsync(immediate: true);
        var stoppedAt = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => (await worker.GetAsync("readyz")).Code == 503, TimeSpan.FromSeconds(15), "unready with PostgreSQL stopped");
        var unready = await worker.GetAsync("readyz");
        output.WriteLine($"unready after {stoppedAt.Elapsed.TotalSeconds:F1} s: {unready.Body}");
        using (var report = JsonDocument.Parse(unready.Body))
        {
            report.RootElement.GetProperty("ready").GetBoolean().Should().BeFalse();
            report.RootElement.GetProperty("checks").GetProperty("target").GetString().Should().StartWith("unreachable");
            report.RootElement.GetProperty("checks").GetProperty("source").GetString().Should().Be("reachable");
        }

        (await worker.GetAsync("healthz")).Code.Should().Be(200, "a database outage must not get the process restarted");
        // The monitor's next read fails too, and /status (so the page) says why its figures stop moving.
        await Eventually.TrueAsync(
            async () => !string.IsNullOrEmpty((await worker.StatusAsync()).GetProperty("stateError").GetString()),
            TimeSpan.FromSeconds(10), "/status reports that the state cannot be read");

        // Target unreachable: no delta cycle completes, staleness rises.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var stale = worker.Staleness(Entity);
        output.WriteLine($"staleness with PostgreSQL down: {stale:F1} s");
        stale.Should().BeGreaterThan(6, "no delta cycle can complete while the target is down");

        await cluster.StartAsync();
        var startedAt = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => (await worker.GetAsync("readyz")).Code == 200, Settle, "ready again once PostgreSQL is back");
        output.WriteLine($"ready again {startedAt.Elapsed.TotalSeconds:F1} s after the restart");
        await Eventually.TrueAsync(() => worker.Staleness(Entity) < 5, Settle, "staleness falls back once cycles complete");
        output.WriteLine($"staleness after recovery: {worker.Staleness(Entity):F2} s; test took {clock.Elapsed.TotalSeconds:F1} s");
    }
}
