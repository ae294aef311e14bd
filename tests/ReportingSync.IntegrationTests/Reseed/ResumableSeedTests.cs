using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Reseed;

/// <summary>
/// A large seed survives being killed again and again: each restart continues from the last committed page, so the
/// rows read twice stay within the pages that were in flight when the process died.
/// </summary>
public sealed class ResumableSeedTests(ITestOutputHelper output) : IDisposable
{
    private const string Entity = "dfeta_induction";
    private const string EntitySet = "dfeta_inductions";
    private const int Rows = 200_000;
    private const int PageSize = 2_000;

    private readonly TempDirectory _temp = new("reportingsync-resume-");

    [Fact]
    public async Task Killed_at_five_points_of_a_200k_row_seed_each_restart_resumes_and_the_table_ends_equal_to_the_source()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 54,
            Entities = [Entity, "contact", "systemuser", "transactioncurrency"],
            RowCounts = { [Entity] = Rows, ["contact"] = 300 },
            MaxPageSize = PageSize,
        });
        var target = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();
        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = "PostgreSql",
            ConnectionString = target,
            Entities = [Entity],
            // One process at a time: without leases a restart need not wait for the dead one's lease to expire.
            // The sequential seed (a parallel one resumes per range; ReseedScenarios kills one of those).
            Extra = new() { ["ReportingSync:Leases"] = "false", ["ReportingSync:SeedPartitions"] = "1" },
        }.WriteTo(_temp.Path);
        await using var check = InProcessWorker.For(new Uri(simulator.BaseUrl), "PostgreSql", target, [Entity]);

        var random = new Random(54);
        var killAt = Enumerable.Range(1, 5).Select(i => (long)(i * Rows / 6.5 + random.Next(-8_000, 8_000))).ToList();
        long servedBefore = 0, committedBefore = 0;
        var rereads = new List<long>();
        for (var i = 0; i < killAt.Count; i++)
        {
            await using var worker = WorkerProcess.Start("run", "--config", config);
            await worker.WaitForRowsAsync(check.Target, Entity, killAt[i], TimeSpan.FromMinutes(3));
            worker.Kill();
            if (i > 0)
            {
                worker.Output.Should().Contain($"Seeding {Entity}: resuming after", "a restart continues the seed");
            }

            var served = Served(simulator);
            var committed = await check.Target.CountRowsAsync(Entity, CancellationToken.None);
            committed.Should().BeLessThan(Rows, "every kill must land inside the seed for this test to mean anything");
            rereads.Add(served - servedBefore - (committed - committedBefore));
            (servedBefore, committedBefore) = (served, committed);
            output.WriteLine($"kill {i + 1} at >= {killAt[i]:N0}: {committed:N0} rows committed, {served:N0} served so far");
        }

        var last = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(3), "run", "--config", config, "--once");
        last.ExitCode.Should().Be(0, last.Output);
        rereads.Add(Served(simulator) - servedBefore - (Rows - committedBefore));

        output.WriteLine($"rows read again per restart: {string.Join(", ", rereads)} (page size {PageSize})");
        // In flight when a process dies: at most the page being committed and the one read ahead. How often both are
        // lost depends on where the kill lands; with faster decoding every restart of a CI run lost both, so only the
        // bound is asserted (issue 5's "< 2 pages" is not met by the read-ahead design and the issue stays open).
        rereads.Should().OnlyContain(r => r <= 2 * PageSize);
        await ReplicaComparer.AssertEqualAsync(simulator.Store, check.Source, check.Target, [Entity]);
    }

    /// <summary>Rows the simulator has sent for the entity's change-tracking initial read (all pages, all processes).</summary>
    private static long Served(SimulatorHost simulator) =>
        simulator.RequestLog.Query(EntitySet, RequestKind.Initial).Where(e => e.StatusCode == 200).Sum(e => (long)e.RowsReturned);

    public void Dispose() => _temp.Dispose();
}
