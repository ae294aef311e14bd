using Npgsql;
using ReportingSync.Bench.Measurement;
using ReportingSync.DataverseSimulator.ChangeTracking;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Store;
using ReportingSync.IntegrationTests.Harness;

namespace ReportingSync.Bench.Scenarios;

/// <summary>
/// Scenario 3: the worker (<c>run</c>, a child process, poll interval 1 s) streams five seeded tables while the
/// simulator makes 200 changes/s across them. Lag per change = the target row's <c>SinkModifiedOn</c> (stamped at
/// commit) minus the simulator's commit time of the version that row holds (exact, unlike <c>modifiedon</c>, which
/// Dataverse writes in whole seconds). A row changed twice before a poll only shows its last version: that change is
/// measured, the superseded one is not (it never reached the target on its own).
/// </summary>
internal static class StreamingLag
{
    public const double ChangesPerSecond = 200;

    private const string WebhookKey = "bench-webhook-key-0123456789abcdef";

    public static readonly string[] Entities = ["contact", "dfeta_qtsregistration", "dfeta_induction", "dfeta_initialteachertraining", "dfeta_qualification"];

    public static Task<(BenchResult Result, double? P99)> RunAsync(BenchContext context) =>
        RunAsync(context, Scenario3(context, history: false));

    /// <summary>Scenario 3 again with history mode on (issue 16): the worker's CPU against the run without it.</summary>
    public static async Task<(BenchResult Result, double? CpuRatio)> RunHistoryAsync(BenchContext context, BenchResult without)
    {
        var (with, _) = await RunAsync(context, Scenario3(context, history: true));
        var ratio = without.CpuSeconds is > 0 && with.CpuSeconds is { } cpu ? cpu / without.CpuSeconds : null;
        return (with with { Ratio = ratio, Notes = with.Notes + (ratio is null ? "" : $"; CPU {ratio:0.00}x the run without history") }, ratio);
    }

    private static LagRun Scenario3(BenchContext context, bool history) =>
        new(history ? "3 streaming lag, history on" : "3 streaming lag", ChangesPerSecond, TimeSpan.FromSeconds(context.Options.Quick ? 30 : 300), TimeSpan.FromSeconds(1), Hints: false, history);

    /// <summary>
    /// Scenario 7 (issue 9): push hints with a 60 s safety-net poll, against no hints with a 5 s poll; 50 changes/s for
    /// 2 minutes each (20 s with --quick). Hints travel as Dataverse webhook calls to the worker's
    /// <c>POST /hooks/dataverse</c>: the Service Bus path speaks AMQP through Azure.Messaging.ServiceBus and no broker
    /// can run here; both paths end in the same hint sink, so the webhook measures the wake-up path they share.
    /// </summary>
    public static async Task<IReadOnlyList<(BenchResult Result, double? P99, double Target)>> RunHintsAsync(BenchContext context)
    {
        var duration = TimeSpan.FromSeconds(context.Options.Quick ? 20 : 120);
        var on = await RunAsync(context, new LagRun("7 push hints", 50, duration, TimeSpan.FromSeconds(60), Hints: true));
        var off = await RunAsync(context, new LagRun("7 push hints", 50, duration, TimeSpan.FromSeconds(5), Hints: false));
        return [(on.Result, on.P99, 2), (off.Result, off.P99, 7)];
    }

    private sealed record LagRun(string Scenario, double ChangesPerSecond, TimeSpan Duration, TimeSpan Poll, bool Hints, bool History = false);

    private static async Task<(BenchResult Result, double? P99)> RunAsync(BenchContext context, LagRun run)
    {
        var duration = run.Duration;
        var options = new SimulatorOptions { Entities = Entities };
        foreach (var entity in Entities)
        {
            options.RowCounts[entity] = 2_000;
        }

        // The worker's HTTP port is fixed up front so the simulator knows where to send its webhook calls.
        var port = LoopbackPort.Free();
        if (run.Hints)
        {
            options.Hints = new ReportingSync.DataverseSimulator.Hints.SimulatorHintOptions
            {
                WebhookUrl = new Uri($"http://127.0.0.1:{port}/hooks/dataverse"), WebhookKey = WebhookKey,
            };
        }

        await using var simulator = await SimulatorHost.StartAsync(options);
        var database = await context.CreateDatabaseAsync();
        var extra = new Dictionary<string, string>
        {
            ["ReportingSync:MaxParallelEntities"] = Entities.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (run.History)
        {
            extra["ReportingSync:History"] = "true";
        }

        if (run.Hints)
        {
            extra["ReportingSync:Hints:Enabled"] = "true";
            extra["ReportingSync:Hints:Webhook:Key"] = WebhookKey;
            extra["ReportingSync:Http:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = "PostgreSql",
            ConnectionString = database,
            Entities = Entities,
            PollInterval = run.Poll,
            LeaseDuration = TimeSpan.FromSeconds(30),
            Extra = extra,
        }.WriteTo(context.Scratch);

        await using var worker = WorkerRun.Start(null, "run", "--config", config);
        await WaitForStreamingAsync(database, worker);

        context.Say($"{run.Scenario[..1]}  streaming: {run.ChangesPerSecond} changes/s over {Entities.Length} tables for {duration.TotalSeconds} s, poll {run.Poll.TotalSeconds} s, hints {(run.Hints ? "on" : "off")}");
        var started = DateTimeOffset.UtcNow;
        var cpuBefore = worker.CpuSeconds;
        simulator.ChangeGenerator.Start(run.ChangesPerSecond, Entities);
        await Task.Delay(duration);
        await simulator.ChangeGenerator.StopAsync();
        var cpu = worker.CpuSeconds - cpuBefore;

        // Let the last changes arrive (a few poll intervals), then stop the worker.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var peak = worker.PeakRssMb;
        worker.Stop();

        var changes = simulator.ChangeGenerator.Changes.Where(c => c.At >= started && c.Kind != ChangeKind.Delete).ToList();
        var lags = await CommitLags.ReadAsync(database, Entities, changes, started);
        var sorted = lags.Order().ToArray();
        double? P(double p) => sorted.Length == 0 ? null : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        var share = cpu / duration.TotalSeconds;
        var result = new BenchResult
        {
            Scenario = run.Scenario,
            Variant = $"{run.ChangesPerSecond:0}/s x {duration.TotalSeconds:0} s, poll {run.Poll.TotalSeconds:0} s, hints {(run.Hints ? "on (webhook)" : "off")}{(run.History ? ", history on" : "")}",
            Rows = changes.Count,
            Seconds = duration.TotalSeconds,
            PeakRssMb = peak,
            CpuSeconds = cpu,
            LoadAverage = LoadAverage.OneMinute(),
            Notes = sorted.Length == 0
                ? "no change reached the target"
                : $"lag p50 {P(0.50):0.00} s, p95 {P(0.95):0.00} s, p99 {P(0.99):0.00} s, max {sorted[^1]:0.00} s over {sorted.Length:N0} measured changes " +
                  $"(of {changes.Count:N0} creates/updates); worker CPU {cpu:0.0} s = {share * 100:0}% of one core ({share * 50:0}% of the 2-core machine)",
        };
        return (result, P(0.99));
    }

    private static async Task WaitForStreamingAsync(string database, WorkerRun worker)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            if (worker.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The worker did not reach Streaming on all tables:\n{SeedRun.Tail(worker.Output)}");
            }

            try
            {
                var streaming = await BenchContext.ScalarAsync<long>(database,
                    """SELECT count(*) FROM reportingsync."EntityState" WHERE "Status" = 'Streaming'""");
                if (streaming == Entities.Length)
                {
                    return;
                }
            }
            catch (PostgresException)
            {
                // State tables not created yet.
            }

            await Task.Delay(250);
        }
    }
}
