using Microsoft.Data.Sqlite;
using ReportingSync.Bench.Measurement;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.IntegrationTests.Harness;

namespace ReportingSync.Bench.Scenarios;

/// <summary>The median run of a repeated seed (<see cref="SeedRun.RunRepeatedAsync"/>), its database, and every run's measure in run order.</summary>
internal sealed record RepeatedSeed(SeedOutcome Median, string Database, IReadOnlyList<double> Measures)
{
    public string Describe(string format, string unit) => Measures.Count == 1
        ? ""
        : $"median of {Measures.Count} runs ({string.Join(", ", Measures.Select(m => m.ToString(format, System.Globalization.CultureInfo.InvariantCulture) + unit))}); ";
}

/// <summary>What one <c>reportingsync run --once</c> seed did.</summary>
internal sealed record SeedOutcome(
    long Rows, double SeedSeconds, double WallSeconds, double PeakRssMb, double CpuSeconds, long DataRequests, string ConfigFile)
{
    public long RowsPerSecond => SeedSeconds > 0 ? (long)(Rows / SeedSeconds) : 0;
}

/// <summary>
/// Seeds the contact shape into an empty database with the real executable (<c>run --once</c>), sampled from
/// <c>/proc</c> for peak RSS and CPU. Seed time is the worker's own (SeedStartedUtc to SeedCompletedUtc in its state
/// table: the copy itself, without process start-up and metadata); wall time is kept alongside.
/// </summary>
internal static class SeedRun
{
    public static async Task<SeedOutcome> RunAsync(
        BenchContext context, SimulatorHost simulator, ContactShape shape, string provider, string connectionString,
        IReadOnlyDictionary<string, string>? moreSettings = null, Func<WorkerRun, Task<bool>>? watch = null)
    {
        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = provider,
            ConnectionString = connectionString,
            Entities = [],
            Extra = shape.Settings(moreSettings),
        }.WriteTo(context.Scratch);

        simulator.RequestLog.Reset();
        await using var worker = WorkerRun.Start(null, "run", "--once", "--config", config);
        if (watch is not null && !await watch(worker))
        {
            worker.Stop();
            return new SeedOutcome(0, 0, worker.Elapsed.TotalSeconds, worker.PeakRssMb, worker.CpuSeconds, 0, config);
        }

        var exit = await worker.WaitAsync(TimeSpan.FromMinutes(30));
        if (exit != 0)
        {
            throw new InvalidOperationException($"reportingsync run --once exited with {exit}:\n{Tail(worker.Output)}");
        }

        var requests = simulator.RequestLog.Entries.LongCount(e => e.Kind is RequestKind.Initial or RequestKind.Delta or RequestKind.Query);
        var (rows, seconds) = provider == "Sqlite"
            ? await SqliteSeedAsync(connectionString)
            : await PostgresSeedAsync(connectionString);
        return new SeedOutcome(rows, seconds, worker.Elapsed.TotalSeconds, worker.PeakRssMb, worker.CpuSeconds, requests, config);
    }

    /// <summary>
    /// The same seed <paramref name="runs"/> times, each into a database of its own (<paramref name="database"/>), and
    /// the run with the median <paramref name="measure"/>. A target measured once on this shared machine moved by a
    /// fifth between runs minutes apart (the same CPU-bound loop took 1.47 s, then 1.64 s, with nothing else running);
    /// the median of three is what one such run cannot be: steady. Every run's value goes into the notes.
    /// </summary>
    public static async Task<RepeatedSeed> RunRepeatedAsync(
        BenchContext context, SimulatorHost simulator, ContactShape shape, string provider, int runs,
        Func<int, Task<string>> database, Func<SeedOutcome, double> measure, Action<string>? discard = null)
    {
        var outcomes = new List<(SeedOutcome Outcome, string Database)>();
        for (var run = 0; run < runs; run++)
        {
            var connectionString = await database(run);
            outcomes.Add((await RunAsync(context, simulator, shape, provider, connectionString), connectionString));
        }

        var ordered = outcomes.OrderBy(o => measure(o.Outcome)).ToList();
        var median = ordered[ordered.Count / 2];
        foreach (var other in outcomes.Where(o => o.Database != median.Database))
        {
            discard?.Invoke(other.Database);
        }

        return new RepeatedSeed(median.Outcome, median.Database, [.. outcomes.Select(o => measure(o.Outcome))]);
    }

    public static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(40));

    private static async Task<(long Rows, double Seconds)> PostgresSeedAsync(string connectionString)
    {
        var rows = await BenchContext.ScalarAsync<long>(connectionString, "SELECT count(*) FROM public.contact");
        var seconds = await BenchContext.ScalarAsync<double>(connectionString,
            """SELECT EXTRACT(EPOCH FROM "SeedCompletedUtc" - "SeedStartedUtc")::float8 FROM reportingsync."EntityState" WHERE "EntityName" = 'contact'""");
        return (rows, seconds);
    }

    private static async Task<(long Rows, double Seconds)> SqliteSeedAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM contact";
        var rows = (long)(await count.ExecuteScalarAsync())!;
        await using var times = connection.CreateCommand();
        times.CommandText = "SELECT SeedStartedUtc, SeedCompletedUtc FROM reportingsync_EntityState WHERE EntityName = 'contact'";
        await using var reader = await times.ExecuteReaderAsync();
        await reader.ReadAsync();
        var started = reader.GetDateTime(0);
        var completed = reader.GetDateTime(1);
        return (rows, (completed - started).TotalSeconds);
    }
}
