using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Store;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.EndToEnd;

/// <summary>
/// The core replication path end to end: the real executable over real HTTP against the simulator, into a real
/// database. Each scenario ends by comparing every row and column of the target with the simulator's own rows.
/// </summary>
public abstract class ReplicationScenarios(ITestOutputHelper output) : IDisposable
{
    internal static readonly string[] DqtEntities =
    [
        "contact", "account", "dfeta_qtsregistration", "dfeta_induction", "dfeta_initialteachertraining", "dfeta_qualification", "dfeta_sanction",
    ];

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    protected TempDirectory Temp { get; } = new("reportingsync-e2e-");

    protected abstract string Provider { get; }

    /// <summary>A fresh, empty target database for one test.</summary>
    protected abstract Task<string> CreateTargetAsync();

    [Fact]
    public async Task Seven_DQT_entities_seed_and_one_once_pass_carries_creates_updates_and_deletes()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 11,
            Entities = [.. DqtEntities, "systemuser", "transactioncurrency"],
            RowCounts =
            {
                ["contact"] = 4_000, ["account"] = 500, ["dfeta_qtsregistration"] = 2_000, ["dfeta_induction"] = 2_000,
                ["dfeta_initialteachertraining"] = 1_500, ["dfeta_qualification"] = 1_500, ["dfeta_sanction"] = 500,
            },
            MaxPageSize = 1_000,
        });
        var target = await CreateTargetAsync();
        var config = WriteConfig(simulator, target);
        DqtEntities.Sum(simulator.Store.Count).Should().BeGreaterThanOrEqualTo(10_000);

        var seed = await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once");
        output.WriteLine(seed.Output);
        seed.ExitCode.Should().Be(0, seed.Output);
        await AssertReplicaEqualsSourceAsync(simulator, target);

        // One of each kind by hand, on the entity analysts use most, then a mixed burst everywhere.
        var created = simulator.Store.Create("contact", new Dictionary<string, object?> { ["firstname"] = "Zoë", ["lastname"] = "O'Neil; ]" });
        var updated = simulator.Store.Snapshot("contact")[17].Id;
        simulator.Store.Update("contact", updated, new Dictionary<string, object?> { ["lastname"] = "Updated" });
        var deleted = simulator.Store.Snapshot("dfeta_induction")[3].Id;
        simulator.Store.Delete("dfeta_induction", deleted);
        var burst = simulator.ChangeGenerator.Step(400, DqtEntities);
        burst.Should().Contain(c => c.Kind == ChangeKind.Delete).And.Contain(c => c.Kind == ChangeKind.Create);

        var delta = await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once");
        output.WriteLine(delta.Output);
        delta.ExitCode.Should().Be(0, delta.Output);
        delta.Output.Should().Contain("7 entities synced");
        await AssertReplicaEqualsSourceAsync(simulator, target);

        await using var worker = CreateWorker(simulator, target);
        var rows = worker.Target.ReadRowsAsync(await LayoutAsync(worker, "contact"), null, CancellationToken.None);
        var byId = await rows.ToDictionaryAsync(r => (Guid)r[0]!);
        byId.Should().ContainKey(created).And.ContainKey(updated);
    }

    [Fact]
    public async Task Killed_in_the_middle_of_a_seed_the_restarted_worker_ends_equal_to_the_source()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 12,
            Entities = ["contact", "dfeta_qualification", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 30_000, ["dfeta_qualification"] = 6_000 },
            MaxPageSize = 500,
            PageLatency = TimeSpan.FromMilliseconds(15),
        });
        var target = await CreateTargetAsync();
        var config = WriteConfig(simulator, target, "contact", "dfeta_qualification");

        await using (var worker = WorkerProcess.Start("run", "--config", config))
        {
            await using (var watch = CreateWorker(simulator, target, "contact"))
            {
                await worker.WaitForRowsAsync(watch.Target, "contact", 3_000, RunTimeout);
            }

            worker.Kill();
        }

        await using (var check = CreateWorker(simulator, target, "contact"))
        {
            var partial = await check.Target.CountRowsAsync("contact", CancellationToken.None);
            partial.Should().BeLessThan(30_000, "the kill must land in the middle of the seed for this test to mean anything");
        }

        var restart = await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once");
        output.WriteLine(restart.Output);
        restart.ExitCode.Should().Be(0, restart.Output);
        await AssertReplicaEqualsSourceAsync(simulator, target, "contact", "dfeta_qualification");
    }

    [Fact]
    public async Task Killed_in_the_middle_of_streaming_the_restarted_worker_ends_equal_to_the_source()
    {
        string[] entities = ["contact", "dfeta_induction", "dfeta_qtsregistration"];
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 13,
            Entities = [.. entities, "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 2_000, ["dfeta_induction"] = 1_000, ["dfeta_qtsregistration"] = 1_000 },
        });
        var target = await CreateTargetAsync();
        var config = WriteConfig(simulator, target, entities);

        await using (var worker = WorkerProcess.Start("run", "--config", config))
        {
            await worker.WaitForOutputAsync("Seeded dfeta_qtsregistration", RunTimeout);
            simulator.ChangeGenerator.Start(changesPerSecond: 200, entities);
            await WaitForDeltaCommitsAsync(worker, atLeast: 3);
            worker.Kill();
        }

        await simulator.ChangeGenerator.StopAsync();
        simulator.ChangeGenerator.ChangesMade.Should().BeGreaterThan(0);

        var restart = await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once");
        output.WriteLine(restart.Output);
        restart.ExitCode.Should().Be(0, restart.Output);
        await AssertReplicaEqualsSourceAsync(simulator, target, entities);
    }

    [Fact]
    public async Task A_429_storm_slows_the_sync_but_it_completes_and_no_request_comes_before_Retry_After()
    {
        string[] entities = ["contact", "dfeta_sanction", "account"];
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 14,
            Entities = [.. entities, "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 1_500, ["dfeta_sanction"] = 600, ["account"] = 300 },
            MaxPageSize = 100,
            Limits = { RequestsPerWindow = 8, Window = TimeSpan.FromSeconds(1) },
        });
        var target = await CreateTargetAsync();

        await using var worker = CreateWorker(simulator, target, entities);
        var outcomes = await worker.RunOnceAsync();

        outcomes.Should().OnlyContain(o => o.Succeeded);
        simulator.Limits.Rejections.Should().BeGreaterThan(0, "the limit must actually have been hit");
        simulator.RequestLog.EarlyRetries().Should().BeEmpty("no request may arrive before an earlier 429's Retry-After has elapsed");
        output.WriteLine($"{simulator.Limits.Rejections} requests refused with 429; {simulator.RequestLog.Entries.Count} requests in all");
        await ReplicaComparer.AssertEqualAsync(simulator.Store, worker.Source, worker.Target, entities);
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    internal string WriteConfig(SimulatorHost simulator, string connectionString, params string[] entities) => new WorkerConfig
    {
        DataverseUrl = simulator.BaseUrl,
        Provider = Provider,
        ConnectionString = connectionString,
        Entities = entities.Length == 0 ? DqtEntities : entities,
        PollInterval = TimeSpan.FromMilliseconds(200),
    }.WriteTo(Temp.Path);

    internal InProcessWorker CreateWorker(SimulatorHost simulator, string connectionString, params string[] entities) =>
        InProcessWorker.For(new Uri(simulator.BaseUrl), Provider, connectionString, entities.Length == 0 ? DqtEntities : entities);

    private async Task AssertReplicaEqualsSourceAsync(SimulatorHost simulator, string connectionString, params string[] entities)
    {
        await using var worker = CreateWorker(simulator, connectionString, entities);
        await ReplicaComparer.AssertEqualAsync(simulator.Store, worker.Source, worker.Target, entities.Length == 0 ? DqtEntities : entities);
    }

    private static async Task<Model.TableLayout> LayoutAsync(InProcessWorker worker, string entity) =>
        Model.TableLayout.Create(await worker.Source.GetEntitySchemaAsync(entity, CancellationToken.None));

    private static async Task WaitForDeltaCommitsAsync(WorkerProcess worker, int atLeast)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (CountDeltaCommits(worker.Output) < atLeast)
        {
            worker.HasExited.Should().BeFalse(worker.Output);
            DateTime.UtcNow.Should().BeBefore(deadline, worker.Output);
            await Task.Delay(25);
        }
    }

    private static int CountDeltaCommits(string log) =>
        log.Split('\n').Count(l => l.Contains("Synced ", StringComparison.Ordinal) && !l.Contains(" 0 upserts, 0 deletes", StringComparison.Ordinal));
}
