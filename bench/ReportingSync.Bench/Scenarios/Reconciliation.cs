using ReportingSync.Bench.Measurement;

namespace ReportingSync.Bench.Scenarios;

/// <summary>
/// Scenario 4: a clean compare of the seeded table against the source, rows/s (target ≥ 50,000).
/// Runs <c>reportingsync reconcile --all</c> with the scenario 1 settings as a separate process; a failure or a
/// difference (exit code other than 0) is reported as "not available" with the command's answer.
/// </summary>
internal static class Reconciliation
{
    public static string[] Arguments(string config) => ["reconcile", "--config", config, "--all"];

    public static async Task<BenchResult> RunAsync(BenchContext context, string config, long rows)
    {
        context.Say($"4  reconciliation: {string.Join(' ', Arguments("FILE"))} over {rows:N0} rows");
        await using var worker = WorkerRun.Start(null, Arguments(config));
        var exit = await worker.WaitAsync(TimeSpan.FromMinutes(15));
        var seconds = worker.Elapsed.TotalSeconds;
        if (exit != 0)
        {
            var answer = worker.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            return new BenchResult
            {
                Scenario = "4 reconciliation",
                Variant = "clean compare",
                LoadAverage = LoadAverage.OneMinute(),
                Notes = $"not available: 'reportingsync reconcile' exited with {exit} ({answer})",
            };
        }

        return new BenchResult
        {
            Scenario = "4 reconciliation",
            Variant = "clean compare",
            Rows = rows,
            Seconds = seconds,
            PeakRssMb = worker.PeakRssMb,
            CpuSeconds = worker.CpuSeconds,
            LoadAverage = LoadAverage.OneMinute(),
            Notes = "wall time of the command, process start included",
        };
    }
}
