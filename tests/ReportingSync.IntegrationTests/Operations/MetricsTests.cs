using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Operations;

/// <summary>
/// The metrics an on-call engineer reads, read the way a collector receives them: through an OpenTelemetry in-memory
/// exporter on the worker's own MeterProvider, while the simulator makes changes and then answers only 429.
/// </summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    // An entity no other in-process test replicates: OpenTelemetry listens to meters by name, process-wide.
    private const string Entity = "dfeta_previousname";

    // Bounds sized for two cores shared with the rest of the suite (seen: seeds taking 30 s+ when everything runs).
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private const double Fresh = 5;

    [Fact]
    public async Task Lag_is_recorded_and_staleness_rises_while_the_source_answers_only_429_then_falls_back()
    {
        var clock = Stopwatch.StartNew();
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 71,
            Entities = [Entity, "contact", "systemuser", "transactioncurrency"],
            RowCounts = { [Entity] = 300, ["contact"] = 50 },
        });
        await using var database = await SqliteDatabase.CreateAsync();
        await using var worker = await OperationsWorker.StartAsync(simulator, "Sqlite", database.ConnectionString, [Entity]);
        await worker.RunAsync();
        simulator.ChangeGenerator.Start(20, [Entity]);

        // Streaming and healthy: changes arrive, their lag is recorded, staleness stays within a poll or two.
        try
        {
            await Eventually.TrueAsync(() => worker.LagCount(Entity) >= 5, Settle, "lag values are recorded once changes stream");
        }
        catch (TimeoutException)
        {
            // What the worker itself says, so a failure on a busy machine can be told from a metrics fault.
            output.WriteLine($"lag values {worker.LagCount(Entity)}; /status: {await worker.StatusAsync()}");
            throw;
        }
        var healthy = worker.Staleness(Entity);
        output.WriteLine($"healthy staleness {healthy:F2} s, lag values {worker.LagCount(Entity)}");
        healthy.Should().BeLessThan(Fresh);

        // A 429 storm: every request is throttled, no cycle completes, staleness keeps rising.
        using (var storm = await worker.Http.PostAsJsonAsync(
            new Uri(new Uri(simulator.BaseUrl), "/admin/faults"), new { kind = "TooManyRequests", retryAfterSeconds = 1 }))
        {
            storm.IsSuccessStatusCode.Should().BeTrue(await storm.Content.ReadAsStringAsync());
        }

        await Task.Delay(TimeSpan.FromSeconds(Fresh + 1));
        var first = worker.Staleness(Entity);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var second = worker.Staleness(Entity);
        var throttles = worker.Points("reportingsync.dataverse.throttles", Entity).Sum(p => p.GetSumLong());
        var throttledSeconds = worker.Points("reportingsync.dataverse.throttled_time", Entity).Sum(p => p.GetSumDouble());
        output.WriteLine($"during the storm: staleness {first:F2} s then {second:F2} s; {throttles} 429s, {throttledSeconds:F1} s throttled");
        first.Should().BeGreaterThan(Fresh);
        second.Should().BeGreaterThan(first + 1.5, "staleness keeps rising while the sync is stuck");
        throttles.Should().BeGreaterThan(0);

        // What /metrics shows Prometheus is the same gauge.
        var (code, text) = await worker.GetAsync("metrics");
        code.Should().Be(200);
        text.Should().Contain("reportingsync_staleness_seconds{").And.Contain($"entity=\"{Entity}\"").And.Contain("reportingsync_lag_seconds_bucket{");

        // The dashboard and the alerts query these names: they must be the names the exporter really writes. Only
        // series that need an event this test does not cause (a delete, a failed cycle, a reconciliation) may be absent.
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("helm", "reportingsync", "dashboards", "reportingsync.json")));
        var queried = DeploymentFilesTests.DashboardExpressions(dashboard.RootElement)
            .SelectMany(e => Regex.Matches(e, @"reportingsync_[a-z_]+").Select(m => m.Value)).ToHashSet();
        var written = Regex.Matches(text, @"^(reportingsync_[a-z_]+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        string[] eventOnly = ["reportingsync_rows_deleted_total", "reportingsync_errors_total", "reportingsync_reconciliation_differences", "reportingsync_seed_estimated_rows"];
        queried.Except(written).Except(eventOnly).Should().BeEmpty("every metric the dashboard queries exists on /metrics");

        // The storm ends: the next cycle completes and staleness drops back.
        (await worker.Http.DeleteAsync(new Uri(new Uri(simulator.BaseUrl), "/admin/faults"))).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => worker.Staleness(Entity) < Fresh, Settle, "staleness falls back once cycles complete");
        var recovered = worker.Staleness(Entity);
        output.WriteLine($"after the storm: staleness {recovered:F2} s; test took {clock.Elapsed.TotalSeconds:F1} s");
        await simulator.ChangeGenerator.StopAsync();
    }
}
