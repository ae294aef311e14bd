using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using ReportingSync.Bench.Measurement;
using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Hosting;

namespace ReportingSync.Bench.Scenarios;

/// <summary>
/// Scenario 10 (issue 18, big tables): a seed that starts over on a table of <see cref="BenchContext.SeedRows"/> rows, on
/// PostgreSQL and SQLite. A seed of the contact shape is killed once that many rows are in (its state keeps the next
/// link; the simulator holds more rows, so the seed cannot finish first). On that table our clearing statement and a
/// DELETE of every row (PostgreSQL: the old statement; SQLite: a row-by-row delete, since its old statement was already
/// ours) are each timed in a transaction that is rolled back. Then a fresh worker resumes, the simulator refuses the saved
/// link once, the read starts over, and its first page empties the table in the same transaction; the worker logs that
/// commit's duration (event 2019) and is stopped right after it, so its CPU time and peak RSS cover start-up, metadata,
/// the refused link and the clearing commit.
/// </summary>
internal static partial class StartOver
{
    public const string Name = "10 seed that starts over";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public static async Task<IReadOnlyList<(BenchResult Line, double? ClearSeconds)>> RunAsync(BenchContext context, ContactShape shape)
    {
        var rows = context.SeedRows;
        var lines = new List<(BenchResult, double?)>();
        lines.AddRange(await OneAsync(context, shape, rows, "PostgreSql", await context.CreateDatabaseAsync()));
        lines.AddRange(await OneAsync(context, shape, rows, "Sqlite", $"Data Source={Path.Combine(context.Scratch, "start-over.db")}"));
        return lines;
    }

    private static async Task<IReadOnlyList<(BenchResult, double?)>> OneAsync(
        BenchContext context, ContactShape shape, int rows, string provider, string connectionString)
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Entities = [ContactShape.Entity],
            RowCounts = { [ContactShape.Entity] = rows + Math.Max(rows / 10, 50_000) },
        });

        context.Say($"10 {provider}: seeding {rows:N0} rows x {shape.Columns} columns, then killing the worker");
        // Without leases the resuming worker need not wait for the killed one's lease to expire.
        var noLeases = new Dictionary<string, string> { ["ReportingSync:Leases"] = "false" };
        var killed = await SeedRun.RunAsync(context, simulator, shape, provider, connectionString, noLeases, async worker =>
        {
            await WaitForCopiedAsync(provider, connectionString, rows, worker);
            return false; // stop it here: SIGKILL, the state keeps the next link
        });
        var tableRows = await ScalarAsync(provider, connectionString, "SELECT count(*) FROM " + Table(provider));

        // Each statement alone on the same rows, in a transaction rolled back: ours, then the row-by-row one. On PostgreSQL
        // that is the old statement (DELETE of every row). On SQLite the old statement was already ours, a DELETE without
        // WHERE (the truncate optimisation), so the comparison is what a row-by-row delete would cost (any WHERE turns the
        // optimisation off).
        var ourStatement = provider == "Sqlite" ? $"DELETE FROM {Table(provider)}" : $"TRUNCATE TABLE {Table(provider)}";
        context.Say($"10 {provider}: {ourStatement} over {tableRows:N0} rows, rolled back");
        var ourSeconds = await TimeRolledBackAsync(provider, connectionString, ourStatement);
        var oldStatement = provider == "Sqlite" ? $"DELETE FROM {Table(provider)} WHERE 1" : $"DELETE FROM {Table(provider)}";
        context.Say($"10 {provider}: {oldStatement} over {tableRows:N0} rows, rolled back");
        var oldSeconds = await TimeRolledBackAsync(provider, connectionString, oldStatement);

        context.Say($"10 {provider}: the saved link is refused; the seed starts over and empties the table");
        simulator.Faults.Add(new FaultRule { Kind = FaultKind.NextLinkBadRequest, Scope = FaultScope.NextLink, Count = 1 });
        await using var worker = WorkerRun.Start(null, "run", "--once", "--config", killed.ConfigFile);
        var (written, clearMs) = await WaitForStartOverAsync(worker);
        var cpu = worker.CpuSeconds;
        var wall = worker.Elapsed.TotalSeconds;
        worker.Stop();

        var database = provider == "Sqlite" ? "SQLite" : "PostgreSQL";
        var ours = provider == "Sqlite" ? "DELETE without WHERE (truncate optimisation)" : "TRUNCATE";
        var clearSeconds = clearMs / 1000.0;
        return
        [
            (new BenchResult
            {
                Scenario = Name, Variant = $"ours: {ours} + first page, {database}", Rows = tableRows, Seconds = clearSeconds,
                PeakRssMb = worker.PeakRssMb, LoadAverage = LoadAverage.OneMinute(),
                Notes = $"the clearing commit (the table's {tableRows:N0} rows out, the new read's first {written:N0} rows in, one transaction) " +
                        $"as the worker logs it; worker from start to that commit: wall {wall:0.0} s, CPU {cpu:0.0} s",
            }, clearSeconds),
            (new BenchResult
            {
                Scenario = Name, Variant = $"ours alone: {Short(ourStatement)}, {database}", Rows = tableRows,
                Seconds = ourSeconds, LoadAverage = LoadAverage.OneMinute(),
                Notes = "the statement alone, in a transaction rolled back",
            }, null),
            (new BenchResult
            {
                Scenario = Name,
                Variant = $"{(provider == "Sqlite" ? "row by row (not the old code: it was ours)" : "old")}: {Short(oldStatement)}, {database}",
                Rows = tableRows, Seconds = oldSeconds, Ratio = oldSeconds / ourSeconds, LoadAverage = LoadAverage.OneMinute(),
                Notes = "the statement alone, in a transaction rolled back; ratio = ours alone / it (rows/s): how many times faster ours is",
            }, null),
        ];
    }

    private static string Short(string statement) => statement.Replace("public.contact", "t", StringComparison.Ordinal).Replace("contact", "t", StringComparison.Ordinal);

    private static string Table(string provider) => provider == "Sqlite" ? "contact" : "public.contact";

    /// <summary>Waits until the seed has committed <paramref name="rows"/> rows (the state row's SeedRowsCopied).</summary>
    private static async Task WaitForCopiedAsync(string provider, string connectionString, int rows, WorkerRun worker)
    {
        var sql = provider == "Sqlite"
            ? "SELECT SeedRowsCopied FROM reportingsync_EntityState WHERE EntityName = 'contact'"
            : """SELECT "SeedRowsCopied" FROM reportingsync."EntityState" WHERE "EntityName" = 'contact'""";
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (worker.HasExited)
            {
                throw new InvalidOperationException($"The seed ended before {rows:N0} rows were in:\n{SeedRun.Tail(worker.Output)}");
            }

            if (deadline.Elapsed > Timeout)
            {
                throw new TimeoutException($"The seed did not reach {rows:N0} rows within {Timeout}.");
            }

            try
            {
                if (await ScalarAsync(provider, connectionString, sql) >= rows)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or SqliteException or InvalidCastException or NullReferenceException)
            {
                // The state table or its row does not exist yet.
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for event 2019 in the worker's log; returns the rows of the new read's first page and the commit's milliseconds.</summary>
    private static async Task<(long Written, long Milliseconds)> WaitForStartOverAsync(WorkerRun worker)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (StartedOver().Match(worker.Output) is { Success: true } match)
            {
                return (long.Parse(match.Groups["rows"].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture));
            }

            if (worker.HasExited || deadline.Elapsed > Timeout)
            {
                throw new InvalidOperationException($"The worker did not start the table over:\n{SeedRun.Tail(worker.Output)}");
            }

            await Task.Delay(20);
        }
    }

    private static async Task<double> TimeRolledBackAsync(string provider, string connectionString, string sql)
    {
        await using var connection = Open(provider, connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        var clock = Stopwatch.StartNew();
        await command.ExecuteNonQueryAsync();
        clock.Stop();
        await transaction.RollbackAsync();
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<long> ScalarAsync(string provider, string connectionString, string sql)
    {
        await using var connection = Open(provider, connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static System.Data.Common.DbConnection Open(string provider, string connectionString) =>
        provider == "Sqlite" ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);

    [GeneratedRegex(@"Started contact over: .*?\((?<rows>\d+) rows\) in one transaction, (?<ms>\d+) ms")]
    private static partial Regex StartedOver();
}
