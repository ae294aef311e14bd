using System.Diagnostics;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.IntegrationTests.Operations;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Budget;

/// <summary>
/// Issue 15's acceptance on the simulator's full reference model (55 change-tracked tables), counted by the simulator's
/// request log: idle tables cost at most 5% of Dataverse's 6,000 requests per 5 minutes, and a change to a quiet table
/// or its schema still arrives.
/// </summary>
/// <remarks>
/// Time is scaled by 1/10 so the test takes about two minutes: <c>MaxPollInterval</c> 6 s instead of 60 s, a metadata
/// check every 30 s instead of 5 minutes, and a 30-second window instead of 5 minutes. An idle worker sends
/// entities × window / MaxPollInterval delta reads plus window / MetadataRefreshInterval checks per window, the same
/// number at any scale, so at most 300 here is at most 300 per 5 minutes with the default settings. The bench
/// (scenario 9) measures the defaults themselves.
/// </remarks>
public sealed class IdleBudgetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan MetadataCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Fifty_five_idle_tables_stay_within_300_requests_a_window_and_a_change_to_a_quiet_table_or_its_schema_still_arrives()
    {
        var clock = Stopwatch.StartNew();
        var tables = DqtReference.Tables.Select(t => t.Table).ToList();
        tables.Should().HaveCount(55);
        var options = new SimulatorOptions { Seed = 15 };
        foreach (var table in tables)
        {
            options.RowCounts[table] = 10;
        }

        await using var simulator = await SimulatorHost.StartAsync(options);
        await using var database = await SqliteDatabase.CreateAsync();
        await using var worker = InProcessWorker.For(new Uri(simulator.BaseUrl), "Sqlite", database.ConnectionString, tables, new Dictionary<string, string?>
        {
            ["ReportingSync:MaxPollInterval"] = MaxPoll.ToString(),
            ["ReportingSync:MetadataRefreshInterval"] = MetadataCheck.ToString(),
        });
        using var stop = new CancellationTokenSource();
        await worker.Supervisor.InitializeAsync(await worker.Supervisor.PreflightAsync(stop.Token), stop.Token);
        var running = worker.Supervisor.RunAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(
                async () => (await worker.Target.LoadStatesAsync(stop.Token)).Count(s => s.Status == EntityStatus.Streaming) == tables.Count,
                TimeSpan.FromMinutes(5), "every table seeded and streaming");
            output.WriteLine($"all 55 streaming after {clock.Elapsed.TotalSeconds:F0} s; {simulator.RequestLog.Query().Count} requests so far");

            // Each table's interval doubles from 1 s up to the maximum while nothing changes (1 + 2 + 4 + 6 s).
            await Eventually.TrueAsync(
                () => worker.Supervisor.PollIntervals.Count == tables.Count && worker.Supervisor.PollIntervals.Values.All(i => i == MaxPoll),
                TimeSpan.FromMinutes(1), "every idle table polled at the maximum interval");
            var from = DateTimeOffset.UtcNow;
            await Task.Delay(Window);
            var idle = simulator.RequestLog.Between(from, from + Window);
            output.WriteLine($"idle {Window.TotalSeconds:F0} s window: {idle.Total} requests ({Describe(idle)})");
            idle.Total.Should().BeLessThanOrEqualTo(300, "5% of Dataverse's 6,000 requests per 5 minutes, at 1/10 of the time scale");
            idle.ByKind.GetValueOrDefault(RequestKind.Metadata).Should().BeLessThanOrEqualTo(2, "one RetrieveMetadataChanges per check, no table definitions");

            // A change to a quiet table arrives within one maximum interval (and the read it then takes).
            var quiet = tables[9];
            var before = await worker.Target.CountRowsAsync(quiet, stop.Token);
            var changedAt = Stopwatch.StartNew();
            simulator.Store.CreateGenerated(quiet);
            await Eventually.TrueAsync(async () => await worker.Target.CountRowsAsync(quiet, stop.Token) == before + 1, TimeSpan.FromMinutes(1), $"the new {quiet} row replicated");
            output.WriteLine($"a new row of quiet {quiet} arrived after {changedAt.Elapsed.TotalSeconds:F1} s (MaxPollInterval {MaxPoll.TotalSeconds} s)");
            changedAt.Elapsed.Should().BeLessThan(MaxPoll + TimeSpan.FromSeconds(4), "a quiet table is read at least every MaxPollInterval");

            // A schema change to one table: the next check names it, and only its definition is read again (at its next
            // cycle, within one maximum interval of the check). SQLite text has no length, so the read is what shows.
            const string drifted = "dfeta_induction";
            var alteredAt = DateTimeOffset.UtcNow;
            simulator.Store.AlterAttribute(drifted, "dfeta_name", new AttributeAlteration { MaxLength = 400 });
            IReadOnlyList<string?> Reread() => simulator.RequestLog.Query(kind: RequestKind.Metadata)
                .Where(e => e.ArrivedAt >= alteredAt && e.EntitySet is not null).Select(e => e.EntitySet).Distinct().ToList();
            await Eventually.TrueAsync(() => Reread().Contains(drifted), MetadataCheck + MaxPoll + TimeSpan.FromSeconds(20), "the changed table's definition read again");
            await Task.Delay(MaxPoll + TimeSpan.FromSeconds(2));
            output.WriteLine($"definitions read again after the change: {string.Join(", ", Reread())}; test took {clock.Elapsed.TotalSeconds:F0} s");
            Reread().Should().Equal(drifted);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    private static string Describe(RequestWindow window) =>
        string.Join(", ", window.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"));
}
