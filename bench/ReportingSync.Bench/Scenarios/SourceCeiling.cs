using ReportingSync.Bench.Measurement;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Requests;

namespace ReportingSync.Bench.Scenarios;

/// <summary>
/// Scenario 2: the same seed with 150 ms added to every simulator response, so the source, not the database, is the
/// limit. Sequential is today's seed (one tracked read, the next page downloading while the current one commits).
/// </summary>
internal static class SourceCeiling
{
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// The parallel seed (README "Parallel seed": a keys-only tracked read for the token, cutting key ranges as its keys
    /// arrive, read 8 at a time with ordinary filtered queries), forced on whatever the table's size.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> PartitionedSettings = new Dictionary<string, string>
    {
        ["ReportingSync:SeedPartitions"] = "8",
        ["ReportingSync:ParallelSeedMinRows"] = "1",
    };

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, SimulatorHost simulator, ContactShape shape)
    {
        var results = new List<BenchResult>();
        simulator.Options.PageLatency = Latency;
        try
        {
            context.Say($"2  source ceiling, sequential: {context.SeedRows:N0} rows, {Latency.TotalMilliseconds} ms per response");
            var sequential = await SeedRun.RunAsync(context, simulator, shape, "PostgreSql", await context.CreateDatabaseAsync());
            var firstRead = FirstDataRequest(simulator);
            results.Add(Line("sequential", sequential, context.SeedRows,
                $"{shape.Columns} columns, +{Latency.TotalMilliseconds} ms per response; requests scaled to 1M rows: {PerMillion(sequential.DataRequests, sequential.Rows):N0}"));

            context.Say("2  source ceiling, partitioned (probe whether the setting has any effect)");
            var partitionedRuns = false;
            var partitioned = await SeedRun.RunAsync(context, simulator, shape, "PostgreSql", await context.CreateDatabaseAsync(), PartitionedSettings,
                watch: async worker =>
                {
                    // The setting works when the first data request differs from the sequential one (a keys-only
                    // read, or filtered range queries). The same first request means the setting changed nothing:
                    // stop rather than repeat the sequential run.
                    while (!worker.HasExited && FirstDataRequest(simulator) is null)
                    {
                        await Task.Delay(50);
                    }

                    var first = FirstDataRequest(simulator);
                    partitionedRuns = first is not null && (first.RawTarget != firstRead?.RawTarget || first.Kind == RequestKind.Query);
                    return partitionedRuns;
                });
            results.Add(partitionedRuns
                ? Line("partitioned", partitioned, context.SeedRows,
                    $"{string.Join(", ", PartitionedSettings.Select(s => $"{s.Key}={s.Value}"))}; requests scaled to 1M rows: {PerMillion(partitioned.DataRequests, partitioned.Rows):N0}")
                : new BenchResult
                {
                    Scenario = "2 source ceiling",
                    Variant = "partitioned",
                    LoadAverage = LoadAverage.OneMinute(),
                    Notes = $"not available: {string.Join(", ", PartitionedSettings.Keys)} has no effect on this build (the first read is the sequential one)",
                });
        }
        finally
        {
            simulator.Options.PageLatency = TimeSpan.Zero;
        }

        return results;
    }

    private static RequestLogEntry? FirstDataRequest(SimulatorHost simulator) =>
        simulator.RequestLog.Query().FirstOrDefault(e => e.Kind is RequestKind.Initial or RequestKind.Query);

    internal static long PerMillion(long requests, long rows) => rows > 0 ? requests * 1_000_000 / rows : 0;

    private static BenchResult Line(string variant, SeedOutcome outcome, long expected, string notes) => new()
    {
        Scenario = "2 source ceiling",
        Variant = variant,
        Rows = outcome.Rows,
        Seconds = outcome.SeedSeconds,
        PeakRssMb = outcome.PeakRssMb,
        CpuSeconds = outcome.CpuSeconds,
        Requests = outcome.DataRequests,
        LoadAverage = LoadAverage.OneMinute(),
        Notes = outcome.Rows == expected ? notes : $"{notes}; ONLY {outcome.Rows:N0} of {expected:N0} rows arrived",
    };
}
