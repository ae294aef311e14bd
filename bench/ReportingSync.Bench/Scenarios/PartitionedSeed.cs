using ReportingSync.DataverseSimulator.Hosting;

namespace ReportingSync.Bench.Scenarios;

/// <summary>
/// Scenario 8 (issue 5's benchmark): sequential against partitioned seeds under two models of the source, each with a
/// simulator of its own that recommends 8-way parallelism (<c>x-ms-dop-hint: 8</c>) so the 8 ranges really run at once.
/// <list type="bullet">
/// <item>as the issue specifies: 500,000 contacts (every one of the DQT contact's 317 columns), 150 ms added per page;</item>
/// <item>a source that costs time per cell served (150 ms per page + 10 µs per row x column, which puts a sequential read
/// of 60-column rows near the published 1,650 rows/s and keeps a keys-only page cheap), 200,000 rows x 60 columns.</item>
/// </list>
/// </summary>
internal static class PartitionedSeed
{
    public const string Name = "8 partitioned seed";

    private static readonly TimeSpan PageLatency = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan CellLatency = TimeSpan.FromMicroseconds(10);

    public static async Task<IReadOnlyList<(BenchResult Line, double? Ratio, double PerMillion)>> RunAsync(BenchContext context, int narrowColumns)
    {
        var lines = new List<(BenchResult, double?, double)>();
        lines.AddRange(await CompareAsync(
            context, $"{context.Options.Scale(500_000):N0} x all columns, +150 ms/page", context.Options.Scale(500_000), columns: null, TimeSpan.Zero));
        lines.AddRange(await CompareAsync(
            context, $"{context.Options.Scale(200_000):N0} x {narrowColumns} columns, +150 ms/page +10 µs/cell", context.Options.Scale(200_000), narrowColumns, CellLatency));
        return lines;
    }

    private static async Task<IReadOnlyList<(BenchResult, double?, double)>> CompareAsync(
        BenchContext context, string model, int rows, int? columns, TimeSpan cellLatency)
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Entities = [ContactShape.Entity],
            RowCounts = { [ContactShape.Entity] = rows },
            DopHint = 8,
        });
        var shape = await ContactShape.ChooseAsync(new Uri(simulator.BaseUrl), await context.CreateDatabaseAsync(), columns);
        simulator.Options.PageLatency = PageLatency;
        simulator.Options.CellLatency = cellLatency;

        context.Say($"8  {model}: sequential");
        var sequential = await SeedRun.RunAsync(context, simulator, shape, "PostgreSql", await context.CreateDatabaseAsync());
        context.Say($"8  {model}: partitioned, 8 ranges");
        var partitioned = await SeedRun.RunAsync(
            context, simulator, shape, "PostgreSql", await context.CreateDatabaseAsync(), SourceCeiling.PartitionedSettings);

        var ratio = sequential.RowsPerSecond > 0 ? (double)partitioned.RowsPerSecond / sequential.RowsPerSecond : (double?)null;
        return
        [
            (Line(model, "sequential", sequential, rows, shape, null), null, SourceCeiling.PerMillion(sequential.DataRequests, sequential.Rows)),
            (Line(model, "partitioned", partitioned, rows, shape, ratio), ratio, SourceCeiling.PerMillion(partitioned.DataRequests, partitioned.Rows)),
        ];
    }

    private static BenchResult Line(string model, string how, SeedOutcome outcome, long expected, ContactShape shape, double? ratio)
    {
        var notes = $"{shape.Columns} columns; requests per 1M rows: {SourceCeiling.PerMillion(outcome.DataRequests, outcome.Rows):N0}; " +
            $"process wall {outcome.WallSeconds:0.0} s" + (ratio is null ? "" : "; ratio = partitioned / sequential");
        return new BenchResult
        {
            Scenario = Name,
            Variant = $"{how}: {model}",
            Rows = outcome.Rows,
            Seconds = outcome.SeedSeconds,
            Ratio = ratio,
            PeakRssMb = outcome.PeakRssMb,
            CpuSeconds = outcome.CpuSeconds,
            Requests = outcome.DataRequests,
            LoadAverage = Measurement.LoadAverage.OneMinute(),
            Notes = outcome.Rows == expected ? notes : $"{notes}; ONLY {outcome.Rows:N0} of {expected:N0} rows arrived",
        };
    }
}
