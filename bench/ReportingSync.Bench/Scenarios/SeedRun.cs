using Microsoft.Data.Sqlite;
using ReportingSync.Bench.Measurement;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.IntegrationTests.Harness;

namespace ReportingSync.Bench.Scenarios;

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
