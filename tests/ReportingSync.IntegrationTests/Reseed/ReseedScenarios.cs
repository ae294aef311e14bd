using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Source;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Reseed;

/// <summary>
/// Re-seeds without downtime, end to end: the real executable (or the in-process worker) against the simulator over
/// HTTP, into a real database. Every scenario ends by comparing the replica with the simulator's rows.
/// </summary>
public abstract class ReseedScenarios(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    protected TempDirectory Temp { get; } = new("reportingsync-reseed-");

    protected abstract string Provider { get; }

    protected abstract Task<string> CreateTargetAsync();

    [Fact]
    public async Task A_reseed_requested_from_a_second_process_is_picked_up_readers_never_see_a_shrunken_table_and_no_change_is_lost()
    {
        string[] entities = ["contact"];
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 51,
            Entities = [.. entities, "account", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 6_000, ["account"] = 200 },
            MaxPageSize = 500,
            PageLatency = TimeSpan.FromMilliseconds(40),
        });
        var target = await CreateTargetAsync();
        var config = WriteConfig(simulator, target, entities);

        await using var worker = WorkerProcess.Start("run", "--config", config);
        await worker.WaitForOutputAsync("Seeded contact", RunTimeout);
        simulator.ChangeGenerator.Start(changesPerSecond: 40, entities);
        await Task.Delay(1_500);

        await using var reader = CreateWorker(simulator, target, entities);
        var deletesBefore = simulator.ChangeGenerator.Deletes;
        var before = await reader.Target.CountRowsAsync("contact", CancellationToken.None);
        using var stopReading = new CancellationTokenSource();
        var violations = new List<string>();
        var reads = 0;
        var readerLoop = Task.Run(async () =>
        {
            while (!stopReading.IsCancellationRequested)
            {
                // Deletes counted before the read: a read can only miss rows deleted before it started.
                var deletes = simulator.ChangeGenerator.Deletes - deletesBefore;
                var count = await reader.Target.CountRowsAsync("contact", CancellationToken.None);
                reads++;
                if (count < before - deletes)
                {
                    violations.Add($"saw {count} rows; before the re-seed {before}, {deletes} deletes since");
                }

                await Task.Delay(20);
            }
        });

        var reseed = await WorkerProcess.RunAsync(RunTimeout, "reseed", "--config", config, "--entity", "contact", "--wait");
        output.WriteLine(reseed.Output);
        await stopReading.CancelAsync();
        await readerLoop;
        await simulator.ChangeGenerator.StopAsync();

        reseed.ExitCode.Should().Be(0, reseed.Output);
        reseed.Output.Should().Contain("contact: completed");
        worker.Output.Should().Contain("Re-seeded contact");
        violations.Should().BeEmpty();
        reads.Should().BeGreaterThan(20, "the reader must have been polling through the re-seed");
        output.WriteLine($"{reads} counts read during the re-seed; {simulator.ChangeGenerator.ChangesMade} changes made");

        // The running worker streams what changed after the swap; stop it at a quiet moment and compare.
        await WaitUntilCaughtUpAsync(reader, simulator, "contact", worker);
        worker.Kill();
        await ReplicaComparer.AssertEqualAsync(simulator.Store, reader.Source, reader.Target, entities);
        (await reader.HistoryDetailsAsync("contact", "ReseedCompleted")).Should().ContainSingle();
        (await reader.Target.LoadStateAsync("contact", CancellationToken.None))!.Status.Should().Be(EntityStatus.Streaming);
    }

    [Fact]
    public async Task An_expired_token_triggers_exactly_one_automatic_reseed_recorded_in_the_history()
    {
        string[] entities = ["dfeta_induction", "dfeta_qtsregistration"];
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 52,
            Entities = [.. entities, "contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["dfeta_induction"] = 1_500, ["dfeta_qtsregistration"] = 800, ["contact"] = 200 },
            MaxPageSize = 400,
        });
        var target = await CreateTargetAsync();
        await using var worker = CreateWorker(simulator, target, entities);
        (await worker.RunOnceAsync()).Should().OnlyContain(o => o.Succeeded);

        simulator.ChangeGenerator.Step(80, entities);
        simulator.Store.ExpireAllTokens();
        simulator.ChangeGenerator.Step(80, entities);
        var outcomes = await worker.Supervisor.RunOnceAsync(CancellationToken.None);
        outcomes.Should().OnlyContain(o => o.Succeeded, string.Join("; ", outcomes.Select(o => o.Error?.Message)));

        simulator.ChangeGenerator.Step(40, entities);
        (await worker.Supervisor.RunOnceAsync(CancellationToken.None)).Should().OnlyContain(o => o.Succeeded);

        foreach (var entity in entities)
        {
            var started = await worker.HistoryDetailsAsync(entity, "ReseedStarted");
            started.Should().ContainSingle().Which.Should().StartWith("TokenExpired");
            (await worker.HistoryDetailsAsync(entity, "ReseedCompleted")).Should().ContainSingle();
            (await worker.Target.LoadStateAsync(entity, CancellationToken.None))!.Status.Should().Be(EntityStatus.Streaming);
        }

        await ReplicaComparer.AssertEqualAsync(simulator.Store, worker.Source, worker.Target, entities);
    }

    [Fact]
    public async Task Run_with_the_reseed_flag_rebuilds_the_table_and_leaves_the_others_alone()
    {
        string[] entities = ["dfeta_induction", "dfeta_sanction"];
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 53,
            Entities = [.. entities, "contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["dfeta_induction"] = 1_200, ["dfeta_sanction"] = 300, ["contact"] = 200 },
            MaxPageSize = 300,
        });
        var target = await CreateTargetAsync();
        var config = WriteConfig(simulator, target, entities);
        (await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once")).ExitCode.Should().Be(0);
        simulator.ChangeGenerator.Step(60, entities);

        var bad = await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once", "--reseed", "dfeta_nosuchtable");
        bad.ExitCode.Should().Be(2, bad.Output);
        bad.Output.Should().Contain("'dfeta_nosuchtable'");

        var run = await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once", "--reseed", "dfeta_induction");
        output.WriteLine(run.Output);
        run.ExitCode.Should().Be(0, run.Output);

        await using var check = CreateWorker(simulator, target, entities);
        (await check.HistoryDetailsAsync("dfeta_induction", "ReseedCompleted")).Should().ContainSingle()
            .Which.Should().StartWith($"{simulator.Store.Count("dfeta_induction")} rows").And.Contain("(Command)");
        (await check.HistoryDetailsAsync("dfeta_sanction", "ReseedStarted")).Should().BeEmpty();
        await ReplicaComparer.AssertEqualAsync(simulator.Store, check.Source, check.Target, entities);
    }

    [Fact]
    public async Task A_large_table_seeds_in_parallel_key_ranges_resumes_after_a_kill_and_then_streams_what_changed_meanwhile()
    {
        const string entity = ParallelSeedEntity;
        var (simulator, target, config, killedOutput) = await KillParallelSeedAsync(55, pageSize: 1_000, TimeSpan.FromMilliseconds(30), killAfterRows: 3_000);
        await using var disposeSimulator = simulator;
        killedOutput.Should().Contain($"Seeding {entity} in parallel: 4 key ranges at a time");

        // Ranges start while the keys-only change-tracking read that takes the token is still going.
        var beforeKill = simulator.RequestLog.Query("dfeta_inductions");
        var firstRange = beforeKill.First(e => e.Kind == RequestKind.Query && e.RawTarget.Contains("filter", StringComparison.Ordinal)).Sequence;
        beforeKill.Should().Contain(e => e.Kind == RequestKind.Initial && e.Sequence > firstRange,
            "the first range must not wait for the last page of the keys read");

        await using var check = CreateWorker(simulator, target, [entity]);
        var partial = await check.Target.CountRowsAsync(entity, CancellationToken.None);
        partial.Should().BeLessThan(10_000, "the kill must land inside the seed");
        (await check.Target.LoadStateAsync(entity, CancellationToken.None))!.ParallelSeed.Should().NotBeNull("the parallel seed's progress is kept typed in the state");

        var resumed = await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once");
        output.WriteLine(resumed.Output);
        resumed.ExitCode.Should().Be(0, resumed.Output);
        resumed.Output.Should().Contain($"Seeding {entity}: resuming after");
        await simulator.ChangeGenerator.StopAsync();
        (await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once")).ExitCode.Should().Be(0);

        var rangeQueries = simulator.RequestLog.Query("dfeta_inductions", RequestKind.Query).Count(e => e.StatusCode == 200);
        rangeQueries.Should().BeGreaterThan(10, "the rows came from key-range queries");
        output.WriteLine($"{rangeQueries} range-query pages; {simulator.ChangeGenerator.ChangesMade} changes made during the seed");
        await ReplicaComparer.AssertEqualAsync(simulator.Store, check.Source, check.Target, [entity]);
    }

    [Fact]
    public async Task A_parallel_seed_killed_while_its_keys_read_is_still_going_resumes_that_read_and_misses_no_change()
    {
        const string entity = ParallelSeedEntity;
        var (simulator, target, config, _) = await KillParallelSeedAsync(57, pageSize: 400, TimeSpan.FromMilliseconds(120), killAfterRows: 400);
        await using var disposeSimulator = simulator;

        await using var check = CreateWorker(simulator, target, [entity]);
        var stored = (await check.Target.LoadStateAsync(entity, CancellationToken.None))!.ParallelSeed!;
        stored.KeysNext.Should().StartWith("http", "the kill must land while the keys read is still going");
        var beforeResume = simulator.RequestLog.Query("dfeta_inductions").Max(e => e.Sequence);

        var resumed = await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once");
        output.WriteLine(resumed.Output);
        resumed.ExitCode.Should().Be(0, resumed.Output);
        resumed.Output.Should().Contain($"Seeding {entity}: resuming after").And.Contain("the change-tracking token is taken");
        var resumedKeysRead = simulator.RequestLog.Query("dfeta_inductions", RequestKind.Initial).Where(e => e.Sequence > beforeResume).ToList();
        resumedKeysRead.Should().NotBeEmpty().And.OnlyContain(e => e.IsNextLink, "the keys read goes on from its saved link, not from the start");

        await simulator.ChangeGenerator.StopAsync();
        (await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once")).ExitCode.Should().Be(0);
        output.WriteLine($"{simulator.ChangeGenerator.ChangesMade} changes made during the seed");
        await ReplicaComparer.AssertEqualAsync(simulator.Store, check.Source, check.Target, [entity]);
    }

    [Fact]
    public async Task A_parallel_seed_whose_keys_read_link_is_refused_starts_over_and_still_misses_no_change()
    {
        const string entity = ParallelSeedEntity;
        var (simulator, target, config) = await StartParallelSeedSimulatorAsync(58, pageSize: 400, TimeSpan.FromMilliseconds(120));
        await using var disposeSimulator = simulator;
        await using (var worker = WorkerProcess.Start("run", "--config", config, "--once"))
        {
            await using var watch = CreateWorker(simulator, target, [entity]);
            await worker.WaitForRowsAsync(watch.Target, entity, 2_400, RunTimeout);

            // Ranges are being read (they never get ahead of the keys read, which is slower here); the keys read's next link (a tracked read, so no $filter) is refused once.
            simulator.Faults.Add(new FaultRule
            {
                Kind = FaultKind.NextLinkBadRequest, Scope = FaultScope.NextLink, Count = 1,
                PathPattern = @"^(?!.*filter).*dfeta_inductions\?.*skiptoken",
            });
            (await worker.WaitForExitAsync(RunTimeout)).Should().Be(0, worker.Output);
            output.WriteLine(worker.Output);
            worker.Output.Should().Contain($"Seeding {entity}: the saved link was rejected, restarting the read from the beginning (keys read:");
        }

        // Ranges read before the refusal may predate the new token, so every range is read again after it.
        var log = simulator.RequestLog.Query("dfeta_inductions");
        var refused = log.Single(e => e.Kind == RequestKind.Initial && e.StatusCode == 400).Sequence;
        log.Where(e => e.Sequence > refused && e.Kind == RequestKind.Query && e.StatusCode == 200).Sum(e => e.RowsReturned)
            .Should().BeGreaterThan(11_500, "the whole table (12,000 rows, less a few deletes), not just what was left, is read again");
        await simulator.ChangeGenerator.StopAsync();
        (await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once")).ExitCode.Should().Be(0);
        await using var check = CreateWorker(simulator, target, [entity]);
        (await check.HistoryDetailsAsync(entity, "SeedRestarted")).Should().ContainSingle();
        await ReplicaComparer.AssertEqualAsync(simulator.Store, check.Source, check.Target, [entity]);
    }

    [Fact]
    public async Task A_seed_whose_saved_link_is_refused_starts_the_table_over_so_a_row_deleted_meanwhile_does_not_stay()
    {
        const string entity = ParallelSeedEntity;
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 59,
            Entities = [entity, "contact", "systemuser", "transactioncurrency"],
            RowCounts = { [entity] = 3_000, ["contact"] = 100 },
            MaxPageSize = 200,
            PageLatency = TimeSpan.FromMilliseconds(200),
        });
        var target = await CreateTargetAsync();
        var config = WriteConfig(simulator, target, [entity], leases: false, extra: new() { ["ReportingSync:SeedPartitions"] = "1" });
        await using (var worker = WorkerProcess.Start("run", "--config", config, "--once"))
        {
            await using var watch = CreateWorker(simulator, target, [entity]);
            await worker.WaitForRowsAsync(watch.Target, entity, 200, RunTimeout);

            // The read goes in id order, so the lowest id came with the first page, which is committed. It is deleted at
            // the source, then the read's next link is refused: the new read begins after the delete and never reports it.
            var copied = simulator.Store.Snapshot(entity).Select(r => r.Id).Order(Comparer<Guid>.Create(IdRange.Compare)).First();
            simulator.Store.Delete(entity, copied);
            simulator.Faults.Add(new FaultRule { Kind = FaultKind.NextLinkBadRequest, Scope = FaultScope.NextLink, Count = 1 });
            (await worker.WaitForExitAsync(RunTimeout)).Should().Be(0, worker.Output);
            worker.Output.Should().Contain($"Seeding {entity}: the saved link was rejected, restarting the read from the beginning");
        }

        simulator.Faults.CountsByKind.Should().ContainKey(FaultKind.NextLinkBadRequest);
        await using var check = CreateWorker(simulator, target, [entity]);
        (await check.Target.LoadStateAsync(entity, CancellationToken.None))!.SeedRowsCopied.Should().Be(2_999, "progress counts the new read only");
        await ReplicaComparer.AssertEqualAsync(simulator.Store, check.Source, check.Target, [entity]);
    }

    private const string ParallelSeedEntity = "dfeta_induction";

    /// <summary>
    /// Starts a parallel seed (4 ranges at a time) of 12,000 rows while the simulator changes 40 rows/s, and kills the
    /// worker once <paramref name="killAfterRows"/> rows are in. The change generator keeps running.
    /// </summary>
    private async Task<(SimulatorHost Simulator, string Target, string Config, string KilledOutput)> KillParallelSeedAsync(
        int seed, int pageSize, TimeSpan pageLatency, long killAfterRows)
    {
        var (simulator, target, config) = await StartParallelSeedSimulatorAsync(seed, pageSize, pageLatency);
        try
        {
            await using var worker = WorkerProcess.Start("run", "--config", config);
            await using var watch = CreateWorker(simulator, target, [ParallelSeedEntity]);
            await worker.WaitForRowsAsync(watch.Target, ParallelSeedEntity, killAfterRows, RunTimeout);
            worker.Kill();
            return (simulator, target, config, worker.Output);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>A simulator with 12,000 rows to seed 4 ranges at a time, changing 40 rows/s, and a worker config for it.</summary>
    private async Task<(SimulatorHost Simulator, string Target, string Config)> StartParallelSeedSimulatorAsync(int seed, int pageSize, TimeSpan pageLatency)
    {
        const string entity = ParallelSeedEntity;
        var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = seed,
            Entities = [entity, "contact", "systemuser", "transactioncurrency"],
            RowCounts = { [entity] = 12_000, ["contact"] = 200 },
            MaxPageSize = pageSize,
            PageLatency = pageLatency,
        });
        try
        {
            var target = await CreateTargetAsync();
            var config = WriteConfig(simulator, target, [entity], leases: false, extra: new()
            {
                ["ReportingSync:ParallelSeedMinRows"] = "5000",
                ["ReportingSync:SeedPartitions"] = "4",
            });
            simulator.ChangeGenerator.Start(changesPerSecond: 40, [entity]);
            return (simulator, target, config);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task A_parallel_seed_keeps_to_the_dop_hint_and_waits_out_every_429_and_still_copies_every_row()
    {
        const string entity = "dfeta_qtsregistration";
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 56,
            Entities = [entity, "contact", "systemuser", "transactioncurrency"],
            RowCounts = { [entity] = 9_000, ["contact"] = 100 },
            MaxPageSize = 500,
            PageLatency = TimeSpan.FromMilliseconds(20),
            DopHint = 2,
            // A limit a loaded machine still exceeds: 12 a second was not always reached with 2 busy cores, and the
            // test then proved nothing about 429s. The seed sends about 40 requests, so 10 in any 4 s is surely hit.
            Limits = { RequestsPerWindow = 10, Window = TimeSpan.FromSeconds(4) },
        });
        var target = await CreateTargetAsync();
        var config = WriteConfig(simulator, target, [entity], leases: false, extra: new()
        {
            ["ReportingSync:ParallelSeedMinRows"] = "1000",
            ["ReportingSync:SeedPartitions"] = "8",

            // Far above the simulator's limit: the client's own budget (10 per second by default) would otherwise keep it
            // under the limit most of the time, and this test is about what happens when the service refuses.
            ["ReportingSync:Dataverse:RequestBudgetPerSecond"] = "100",
        });

        var run = await WorkerProcess.RunAsync(RunTimeout, "run", "--config", config, "--once");
        output.WriteLine(run.Output);

        run.ExitCode.Should().Be(0, run.Output);
        run.Output.Should().Contain("8 key ranges at a time").And.Contain("the change-tracking token is taken");
        simulator.Limits.Rejections.Should().BeGreaterThan(0, "the request limit must actually have been hit");
        simulator.RequestLog.EarlyRetries().Should().BeEmpty("after a 429 no range may send before its Retry-After has passed");
        simulator.RequestLog.MaxInFlight().Should().BeLessThanOrEqualTo(2, "8 ranges share the 2 slots the service recommends");
        output.WriteLine($"{simulator.Limits.Rejections} requests refused with 429; at most {simulator.RequestLog.MaxInFlight()} in flight");
        await using var check = CreateWorker(simulator, target, [entity]);
        await ReplicaComparer.AssertEqualAsync(simulator.Store, check.Source, check.Target, [entity]);
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    internal string WriteConfig(
        SimulatorHost simulator, string connectionString, IReadOnlyList<string> entities, bool leases = true, Dictionary<string, string>? extra = null) => new WorkerConfig
    {
        DataverseUrl = simulator.BaseUrl,
        Provider = Provider,
        ConnectionString = connectionString,
        Entities = entities,
        PollInterval = TimeSpan.FromMilliseconds(500),
        Extra = new(extra ?? []) { ["ReportingSync:Leases"] = leases ? "true" : "false" },
    }.WriteTo(Temp.Path);

    internal InProcessWorker CreateWorker(SimulatorHost simulator, string connectionString, IEnumerable<string> entities) =>
        InProcessWorker.For(new Uri(simulator.BaseUrl), Provider, connectionString, entities);

    /// <summary>Waits until the worker has committed a delta read that started after the last change was made.</summary>
    private static async Task WaitUntilCaughtUpAsync(InProcessWorker reader, SimulatorHost simulator, string entity, WorkerProcess worker)
    {
        var quietSince = DateTime.UtcNow;
        var deadline = quietSince + RunTimeout;
        while (true)
        {
            var state = await reader.Target.LoadStateAsync(entity, CancellationToken.None);
            if (state is { Status: EntityStatus.Streaming, LastSyncUtc: { } synced } && synced > quietSince.AddSeconds(1))
            {
                return;
            }

            worker.HasExited.Should().BeFalse(worker.Output);
            DateTime.UtcNow.Should().BeBefore(deadline, worker.Output);
            await Task.Delay(100);
        }
    }
}
