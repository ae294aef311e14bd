using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Faults;

/// <summary>Three worker processes against one PostgreSQL: one owner per entity, and a dead replica's entities move on.</summary>
public sealed class ReplicaTests(ITestOutputHelper output)
{
    private static readonly string[] Entities = ["contact", "dfeta_induction", "dfeta_qtsregistration", "dfeta_sanction"];
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Replicas_share_entities_by_lease_and_take_over_from_a_killed_one_within_a_lease_period()
    {
        using var temp = new TempDirectory("reportingsync-replicas-");
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 41,
            Entities = [.. Entities, "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 1_500, ["dfeta_induction"] = 800, ["dfeta_qtsregistration"] = 800, ["dfeta_sanction"] = 200 },
        });
        var database = await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();
        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = "PostgreSql",
            ConnectionString = database,
            Entities = Entities,
            PollInterval = TimeSpan.FromMilliseconds(200),
            LeaseDuration = Lease,
        }.WriteTo(temp.Path);
        await using var check = InProcessWorker.For(new Uri(simulator.BaseUrl), "PostgreSql", database, Entities);
        await check.Target.InitializeAsync(CancellationToken.None);

        var workers = Enumerable.Range(0, 3).Select(_ => WorkerProcess.Start("run", "--config", config)).ToList();
        try
        {
            await WaitForAsync(async () => (await check.Target.LoadStatesAsync(CancellationToken.None)) is { Count: 4 } states && states.All(s => s.Status == EntityStatus.Streaming), workers);
            simulator.ChangeGenerator.Start(100, Entities);
            await Task.Delay(1_000);

            var owners = await OwnersAsync(check);
            output.WriteLine("owners: " + string.Join(", ", owners.Select(o => $"{o.Key}={o.Value}")));
            owners.Values.Should().OnlyContain(o => o != null, "every entity is leased by a live replica");
            // Sharing is first come: replicas that start together usually split the entities, but one that starts
            // seconds earlier may hold them all; what matters is one owner per entity and a fast takeover.
            output.WriteLine($"{owners.Values.Select(OwnerPid).Distinct().Count()} of 3 replicas hold leases");

            // Kill the replica that owns the most entities, the way a node dies.
            var victimPid = owners.Values.GroupBy(OwnerPid).OrderByDescending(g => g.Count()).First().Key;
            var victim = workers.Single(w => w.Id == victimPid);
            var orphaned = owners.Where(o => OwnerPid(o.Value) == victimPid).Select(o => o.Key).ToList();
            victim.Kill();
            var killedAt = DateTime.UtcNow;

            await WaitForAsync(async () =>
            {
                var now = await OwnersAsync(check);
                return orphaned.All(e => now[e] is { } owner && OwnerPid(owner) != victimPid);
            }, workers.Where(w => w != victim).ToList());
            var takeover = DateTime.UtcNow - killedAt;
            output.WriteLine($"{string.Join(", ", orphaned)} taken over {takeover.TotalSeconds:0.0} s after the kill (lease {Lease.TotalSeconds} s)");
            takeover.Should().BeLessThan(Lease + TimeSpan.FromSeconds(3), "a dead replica's entities move on within one lease period (plus a poll)");

            await simulator.ChangeGenerator.StopAsync();
            await WaitForAsync(async () => (await Task.WhenAll(Entities.Select(e => ReplicaComparer.CompareAsync(simulator.Store, check.Source, check.Target, e)))).All(d => d.Count == 0), workers.Where(w => w != victim).ToList());
            var failures = (await Task.WhenAll(Entities.Select(e => check.HistoryDetailsAsync(e, "Failed")))).SelectMany(f => f).ToList();
            failures.Should().BeEmpty("fenced commits of a replica that lost its lease are not entity failures");
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private static async Task<Dictionary<string, string?>> OwnersAsync(InProcessWorker check) =>
        (await check.Target.LoadStatesAsync(CancellationToken.None)).ToDictionary(s => s.EntityName, s => s.LeaseExpiresUtc > DateTime.UtcNow ? s.LeaseOwner : null);

    private static int OwnerPid(string? owner) => int.Parse(owner!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitForAsync(Func<Task<bool>> condition, IReadOnlyList<WorkerProcess> workers)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            workers.Should().OnlyContain(w => !w.HasExited, string.Join("\n---\n", workers.Select(w => w.Output)));
            DateTime.UtcNow.Should().BeBefore(deadline, string.Join("\n---\n", workers.Select(w => w.Output[^Math.Min(w.Output.Length, 4000)..])));
            await Task.Delay(100);
        }
    }
}
