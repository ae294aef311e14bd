using System.Diagnostics;
using ReportingSync.Bench;
using ReportingSync.Bench.Measurement;
using ReportingSync.Bench.Scenarios;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Support;

// ReportingSync.Bench [--quick] [--only 1,5,6] [--out FILE]: every scenario of issues 10 and 15 in one run, side by side.
// With --only, the lines of the other scenarios already in the output file are kept (see ResultsReport.MergeAsync).
var options = BenchOptions.Parse(args);
var clock = Stopwatch.StartNew();
var startedUtc = DateTimeOffset.UtcNow;
var log = Console.Out;
var results = new List<BenchResult>();
var targets = new List<TargetCheck>();
var failures = 0;

var scratch = Directory.CreateTempSubdirectory("reportingsync-bench-").FullName;
await using var postgres = await PostgresCluster.StartNewAsync();
var context = new BenchContext(options, postgres, scratch, log);
context.Say($"PostgreSQL on port {postgres.Port}; scale {(options.Quick ? "1/10 (--quick)" : "full")}; load {LoadAverage.OneMinute():0.00}");

async Task Guard(string scenario, Func<Task> body)
{
    try
    {
        await body();
    }
    catch (Exception ex) when (ex is not OutOfMemoryException)
    {
        failures++;
        context.Say($"{scenario} FAILED: {ex}");
        results.Add(new BenchResult { Scenario = scenario, Variant = "error", LoadAverage = LoadAverage.OneMinute(), Notes = "FAILED: " + ex.Message.Split('\n')[0] });
    }
}

var rows = context.SeedRows;
await using (var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Entities = [ContactShape.Entity], RowCounts = { [ContactShape.Entity] = rows } }))
{
    var organisation = new Uri(simulator.BaseUrl);
    var shape = await ContactShape.ChooseAsync(organisation, await context.CreateDatabaseAsync(), columns: 60);

    if (options.Runs(1) || options.Runs(4) || options.Runs(5))
    {
        await Guard("1 seed vs the limit", async () =>
        {
            context.Say($"1  ours: {rows:N0} rows x {shape.Columns} columns, simulator -> PostgreSQL (run --once, child process)");
            // The worker's CPU is an issue 17 target: the median of three seeds (one with --quick).
            var repeated = await SeedRun.RunRepeatedAsync(
                context, simulator, shape, "PostgreSql", context.TargetRuns, _ => context.CreateDatabaseAsync(), o => o.CpuSeconds);
            var (ours, database) = (repeated.Median, repeated.Database);
            var oursRate = ours.Rows / ours.SeedSeconds;
            results.Add(new BenchResult
            {
                Scenario = "1 seed vs the limit", Variant = "ours (simulator -> PostgreSQL)", Rows = ours.Rows, Seconds = ours.SeedSeconds,
                PeakRssMb = ours.PeakRssMb, CpuSeconds = ours.CpuSeconds, Requests = ours.DataRequests, LoadAverage = LoadAverage.OneMinute(),
                Notes = $"{shape.Columns} columns; {repeated.Describe("0.0", " s CPU")}seed time from the state table; process wall {ours.WallSeconds:0.0} s",
            });
            targets.Add(new TargetCheck($"5 peak RSS seeding {rows:N0} rows x {shape.Columns} columns", ours.PeakRssMb, " MB", 300, AtLeast: false));
            targets.Add(new TargetCheck(
                $"1 worker CPU per 1M rows x {shape.Columns} columns seeded into PostgreSQL (issue 17)", ours.CpuSeconds * 1_000_000 / Math.Max(1, ours.Rows), " s", 10, AtLeast: false));

            if (options.Runs(1))
            {
                context.Say("1  the simulator alone: the same requests, bodies discarded");
                var (sourceRows, sourceSeconds) = await SourceAlone.RunAsync(simulator, ours.Rows);
                results.Add(new BenchResult
                {
                    Scenario = "1 seed vs the limit", Variant = "simulator alone (HTTP, no decode)", Rows = sourceRows, Seconds = sourceSeconds,
                    Ratio = oursRate / (sourceRows / sourceSeconds), LoadAverage = LoadAverage.OneMinute(),
                    Notes = "the source's ceiling on these shared cores; ratio = ours / simulator alone",
                });

                context.Say("1a raw COPY of the same rows from a file");
                var (copyRows, copySeconds) = await CopyLimit.RunAsync(context, database);
                var copyRatio = oursRate / (copyRows / copySeconds);
                results.Add(new BenchResult
                {
                    Scenario = "1 seed vs the limit", Variant = "raw COPY from a file", Rows = copyRows, Seconds = copySeconds, Ratio = copyRatio,
                    LoadAverage = LoadAverage.OneMinute(), Notes = "ratio = ours / COPY",
                });
                targets.Add(new TargetCheck("1 ours / raw COPY", copyRatio, "", 0.6, AtLeast: true));

                var limit = TimeSpan.FromSeconds(options.Quick ? 15 : 120);
                context.Say($"1b baseline: 500-row pages, 100-row INSERT ... ON CONFLICT batches, a transaction each (at most {limit.TotalSeconds} s)");
                var (baseRows, baseSeconds, complete) = await LegacyBaseline.RunAsync(organisation, database, shape, rows, limit);
                var baseRatio = oursRate / (baseRows / baseSeconds);
                results.Add(new BenchResult
                {
                    Scenario = "1 seed vs the limit", Variant = "baseline (old system's pattern)", Rows = baseRows, Seconds = baseSeconds, Ratio = baseRatio,
                    LoadAverage = LoadAverage.OneMinute(),
                    Notes = "ratio = ours / baseline" + (complete ? "" : $"; stopped after {limit.TotalSeconds} s, rate over the rows it wrote"),
                });
                targets.Add(new TargetCheck("1 ours / baseline", baseRatio, "", 10, AtLeast: true));
            }

            if (options.Runs(4))
            {
                results.Add(await Reconciliation.RunAsync(context, ours.ConfigFile, ours.Rows));
                var line = results[^1];
                targets.Add(new TargetCheck("4 reconciliation rows/s", line.RowsPerSecond, " rows/s", 50_000, AtLeast: true));
            }

            if (options.Runs(5))
            {
                await MemoryCurve(ours.PeakRssMb);
            }
        });
    }

    if (options.Runs(2))
    {
        await Guard("2 source ceiling", async () => results.AddRange(await SourceCeiling.RunAsync(context, simulator, shape)));
    }

    if (options.Runs(6))
    {
        await Guard("6 seed into SQLite", async () =>
        {
            context.Say($"6  SQLite: {rows:N0} rows x {shape.Columns} columns");
            // Rows/s is an issue 17 target: the median of three seeds (one with --quick), each into a file of its own.
            var repeated = await SeedRun.RunRepeatedAsync(
                context, simulator, shape, "Sqlite", context.TargetRuns,
                run => Task.FromResult($"Data Source={Path.Combine(scratch, $"bench-{run}.db")}"), o => o.RowsPerSecond, DeleteSqliteFiles);
            var sqlite = repeated.Median;
            results.Add(new BenchResult
            {
                Scenario = "6 seed into SQLite", Variant = "ours (simulator -> SQLite)", Rows = sqlite.Rows, Seconds = sqlite.SeedSeconds,
                PeakRssMb = sqlite.PeakRssMb, CpuSeconds = sqlite.CpuSeconds, Requests = sqlite.DataRequests, LoadAverage = LoadAverage.OneMinute(),
                Notes = $"{shape.Columns} columns; {repeated.Describe("N0", " rows/s")}process wall {sqlite.WallSeconds:0.0} s",
            });
            targets.Add(new TargetCheck("6 SQLite seed rows/s (issue 17)", sqlite.RowsPerSecond, " rows/s", 40_000, AtLeast: true));
            targets.Add(new TargetCheck("6 peak RSS seeding into SQLite", sqlite.PeakRssMb, " MB", 300, AtLeast: false));
        });
    }

    if (options.Runs(10))
    {
        await Guard(StartOver.Name, async () =>
        {
            foreach (var (line, clearSeconds) in await StartOver.RunAsync(context, shape))
            {
                results.Add(line);
                if (clearSeconds is not null)
                {
                    // The default command timeout the old DELETE ran past.
                    targets.Add(new TargetCheck($"10 clearing commit of {line.Rows:N0} rows within the 30 s command timeout, {line.Variant}", clearSeconds, " s", 30, AtLeast: false));
                }
            }
        });
    }

    // Scenario 5: the same seed at a tenth of the rows (flat?), and the real 317-column contact (the 812 MB report).
    async Task MemoryCurve(double peakAtFull)
    {
        var small = rows / 10;
        await using var smaller = await SimulatorHost.StartAsync(new SimulatorOptions { Entities = [ContactShape.Entity], RowCounts = { [ContactShape.Entity] = small } });
        context.Say($"5  memory: {small:N0} rows x {shape.Columns} columns");
        var tenth = await SeedRun.RunAsync(context, smaller, shape, "PostgreSql", await context.CreateDatabaseAsync());
        results.Add(new BenchResult
        {
            Scenario = "5 memory", Variant = $"{shape.Columns} columns, 1/10 of the rows", Rows = tenth.Rows, Seconds = tenth.SeedSeconds, PeakRssMb = tenth.PeakRssMb,
            CpuSeconds = tenth.CpuSeconds,
            Ratio = peakAtFull / tenth.PeakRssMb, LoadAverage = LoadAverage.OneMinute(), Notes = $"ratio = peak RSS at {rows:N0} rows / at {small:N0} rows",
        });
        targets.Add(new TargetCheck($"5 peak RSS flat: {rows:N0} rows / {small:N0} rows", peakAtFull / tenth.PeakRssMb, "x", 1.25, AtLeast: false));

        var wide = await ContactShape.ChooseAsync(new Uri(smaller.BaseUrl), await context.CreateDatabaseAsync(), columns: null);
        context.Say($"5  memory: {small:N0} rows x {wide.Columns} columns (the real DQT contact)");
        var all = await SeedRun.RunAsync(context, smaller, wide, "PostgreSql", await context.CreateDatabaseAsync());
        results.Add(new BenchResult
        {
            Scenario = "5 memory", Variant = $"all {wide.Columns} columns", Rows = all.Rows, Seconds = all.SeedSeconds, PeakRssMb = all.PeakRssMb,
            CpuSeconds = all.CpuSeconds, Requests = all.DataRequests, LoadAverage = LoadAverage.OneMinute(), Notes = $"process wall {all.WallSeconds:0.0} s",
        });
        targets.Add(new TargetCheck($"5 peak RSS seeding {small:N0} rows x {wide.Columns} columns", all.PeakRssMb, " MB", 300, AtLeast: false));
    }
}

if (options.Runs(3))
{
    await Guard("3 streaming lag", async () =>
    {
        var (line, p99) = await StreamingLag.RunAsync(context);
        results.Add(line);
        targets.Add(new TargetCheck("3 streaming lag p99", p99, " s", 3, AtLeast: false));
        var (history, ratio) = await StreamingLag.RunHistoryAsync(context, line);
        results.Add(history);
        targets.Add(new TargetCheck("3 worker CPU with history on / off", ratio, "x", 1.3, AtLeast: false));
    });
}

if (options.Runs(8))
{
    await Guard(PartitionedSeed.Name, async () =>
    {
        foreach (var (line, ratio, perMillion) in await PartitionedSeed.RunAsync(context, narrowColumns: 60))
        {
            results.Add(line);
            if (ratio is not null)
            {
                targets.Add(new TargetCheck($"8 partitioned / sequential, {line.Variant}", ratio, "x", 5, AtLeast: true));
                targets.Add(new TargetCheck($"8 requests per 1M rows, {line.Variant}", perMillion, "", 210, AtLeast: false));
            }

            targets.Add(new TargetCheck($"8 peak RSS, {line.Variant}", line.PeakRssMb, " MB", 300, AtLeast: false));
        }
    });
}

if (options.Runs(7))
{
    await Guard("7 push hints", async () =>
    {
        foreach (var (line, p99, target) in await StreamingLag.RunHintsAsync(context))
        {
            results.Add(line);
            targets.Add(new TargetCheck($"7 lag p99, {line.Variant}", p99, " s", target, AtLeast: false));
        }
    });
}

if (options.Runs(9))
{
    await Guard(FiftyFiveTables.Name, async () =>
    {
        var outcome = await FiftyFiveTables.RunAsync(context);
        results.AddRange(outcome.Lines);
        targets.Add(new TargetCheck("9 idle requests per 5 minutes, 55 tables", outcome.IdlePerFiveMinutes, "", 300, AtLeast: false));
        targets.Add(new TargetCheck("9 hot tables lag p99", outcome.HotP99, " s", 3, AtLeast: false));
        targets.Add(new TargetCheck("9 quiet tables lag max", outcome.QuietMax, " s", 60, AtLeast: false));
    });
}

clock.Stop();
log.WriteLine();
ResultsReport.Print(log, results, targets);
var machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
var output = options.Output ?? Path.Combine(RepositoryRoot(), "bench", "results", options.Quick ? "quick.json" : "latest.json");
var run = new BenchRun(startedUtc, clock.Elapsed.TotalMinutes, options.Quick, machine, results, targets.Select(TargetSummary.Of).ToList());
await ResultsReport.WriteJsonAsync(output, options.Only.Count == 0 ? run : await ResultsReport.MergeAsync(output, run, options.Only));
log.WriteLine($"{results.Count} lines in {clock.Elapsed.TotalMinutes:0.0} min; written to {output}");

try
{
    Directory.Delete(scratch, recursive: true);
}
catch (IOException)
{
}

return failures == 0 ? 0 : 1;

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ReportingSync.sln")))
        {
            return dir.FullName;
        }
    }

    return Environment.CurrentDirectory;
}

// A SQLite seed's database, WAL and shared-memory files (a repeated seed keeps only its median run's).
static void DeleteSqliteFiles(string connectionString)
{
    var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
    foreach (var path in new[] { file, file + "-wal", file + "-shm" })
    {
        File.Delete(path);
    }
}
