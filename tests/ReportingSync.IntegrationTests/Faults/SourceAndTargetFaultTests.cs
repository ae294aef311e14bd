using Npgsql;
using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Faults;

/// <summary>
/// What production throws at a replica — flaky HTTP, a rejected page link, a database restart, killed connections, a
/// table that stops being tracked — and the proof each time: the replica ends equal to the source.
/// </summary>
public sealed class SourceAndTargetFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(2);

    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["ReportingSync:Dataverse:RetryBaseDelay"] = "00:00:00.050",
        ["ReportingSync:Dataverse:RetryMaxDelay"] = "00:00:00.500",
        ["ReportingSync:Dataverse:RequestTimeout"] = "00:00:05",
        ["ReportingSync:PollInterval"] = "00:00:00.200",
        ["ReportingSync:FailureBackoff"] = "00:00:00.100",
        ["ReportingSync:MaxFailureBackoff"] = "00:00:01",
    };

    [Fact]
    public async Task Server_errors_resets_truncated_bodies_slow_answers_and_long_Retry_After_are_ridden_out()
    {
        string[] entities = ["contact", "dfeta_sanction"];
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 21,
            Entities = [.. entities, "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 2_500, ["dfeta_sanction"] = 400 },
            MaxPageSize = 250,
        });
        foreach (var (kind, scope) in new[]
        {
            (FaultKind.InternalServerError, FaultScope.Initial), (FaultKind.BadGateway, FaultScope.NextLink),
            (FaultKind.ServiceUnavailable, FaultScope.Metadata), (FaultKind.ConnectionReset, FaultScope.NextLink),
            (FaultKind.TruncatedJson, FaultScope.NextLink), (FaultKind.SlowResponse, FaultScope.NextLink),
            (FaultKind.InternalServerError, FaultScope.Delta), (FaultKind.ConnectionReset, FaultScope.Delta), (FaultKind.TruncatedJson, FaultScope.Delta),
        })
        {
            simulator.Faults.Add(new FaultRule { Kind = kind, Scope = scope, Count = 2, Delay = TimeSpan.FromMilliseconds(300) });
        }

        simulator.Faults.Add(new FaultRule { Kind = FaultKind.TooManyRequests, Scope = FaultScope.NextLink, Count = 1, RetryAfter = TimeSpan.FromSeconds(3) });
        await using var database = await SqliteDatabase.CreateAsync();
        await using var worker = InProcessWorker.For(new Uri(simulator.BaseUrl), "Sqlite", database.ConnectionString, entities, FastRetries);

        var seed = await worker.RunOnceAsync();
        seed.Should().OnlyContain(o => o.Succeeded);
        simulator.ChangeGenerator.Step(300, entities);
        var delta = await worker.Supervisor.RunOnceAsync(CancellationToken.None);
        delta.Should().OnlyContain(o => o.Succeeded);

        var injected = simulator.Faults.CountsByKind;
        output.WriteLine(string.Join(", ", injected.Select(kv => $"{kv.Key} {kv.Value}")));
        injected.Values.Sum().Should().BeGreaterThanOrEqualTo(15, "the faults must actually have happened");
        simulator.RequestLog.EarlyRetries().Should().BeEmpty();
        await ReplicaComparer.AssertEqualAsync(simulator.Store, worker.Source, worker.Target, entities);
    }

    [Fact]
    public async Task A_page_link_the_server_rejects_restarts_that_read_and_loses_nothing()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 22,
            Entities = ["contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 1_500 },
            MaxPageSize = 200,
        });
        simulator.Faults.Add(new FaultRule { Kind = FaultKind.NextLinkBadRequest, Scope = FaultScope.NextLink, Count = 1 });
        await using var database = await SqliteDatabase.CreateAsync();
        await using var worker = InProcessWorker.For(new Uri(simulator.BaseUrl), "Sqlite", database.ConnectionString, ["contact"], FastRetries);

        using var run = new CancellationTokenSource(Settle);
        var running = RunUntilEqualAsync(simulator, worker, ["contact"], run.Token);
        await running;

        simulator.Faults.CountsByKind.Should().ContainKey(FaultKind.NextLinkBadRequest);
        var history = await database.QueryAsync("SELECT Event FROM reportingsync_SyncHistory WHERE EntityName = 'contact' ORDER BY Id");
        history.Should().Contain("SeedRestarted").And.Contain("SeedCompleted");
    }

    [Fact]
    public async Task A_PostgreSQL_restart_and_killed_connections_mid_stream_end_equal()
    {
        string[] entities = ["contact", "dfeta_induction"];
        await using var cluster = await PostgresCluster.StartNewAsync();
        var connectionString = await cluster.CreateDatabaseAsync();
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 23,
            Entities = [.. entities, "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 4_000, ["dfeta_induction"] = 2_000 },
            MaxPageSize = 250,
            PageLatency = TimeSpan.FromMilliseconds(10),
        });
        await using var worker = InProcessWorker.For(new Uri(simulator.BaseUrl), "PostgreSql", connectionString, entities, FastRetries);
        var schemas = await worker.Supervisor.PreflightAsync(CancellationToken.None);
        await worker.Supervisor.InitializeAsync(schemas, CancellationToken.None);

        using var stop = new CancellationTokenSource(Settle);
        var loop = Task.Run(() => worker.Supervisor.RunAsync(stop.Token));
        simulator.ChangeGenerator.Start(100, entities);

        // Kill every connection of the worker a few times during the seed and the stream.
        for (var round = 0; round < 4; round++)
        {
            await Task.Delay(400);
            await cluster.TerminateConnectionsAsync(connectionString);
        }

        await cluster.StopAsync(immediate: true);
        await Task.Delay(1_500);
        loop.IsCompleted.Should().BeFalse("the worker must keep retrying while the database is down");
        await cluster.StartAsync();

        await simulator.ChangeGenerator.StopAsync();
        await WaitUntilEqualAsync(simulator, worker, entities, stop.Token);
        await stop.CancelAsync();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        output.WriteLine($"{simulator.ChangeGenerator.ChangesMade} changes made while connections were killed and the server restarted");
    }

    [Fact]
    public async Task An_entity_that_starts_failing_backs_off_and_recovers_while_the_others_keep_streaming()
    {
        string[] entities = ["contact", "dfeta_sanction"];
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 24,
            Entities = [.. entities, "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 500, ["dfeta_sanction"] = 200 },
        });
        await using var database = await SqliteDatabase.CreateAsync();
        await using var worker = InProcessWorker.For(new Uri(simulator.BaseUrl), "Sqlite", database.ConnectionString, entities, FastRetries);
        (await worker.RunOnceAsync()).Should().OnlyContain(o => o.Succeeded);

        using var stop = new CancellationTokenSource(Settle);
        var loop = Task.Run(() => worker.Supervisor.RunAsync(stop.Token));
        simulator.Faults.Add(new FaultRule { Kind = FaultKind.ServiceUnavailable, PathPattern = "dfeta_sanctions", Scope = FaultScope.Delta });
        simulator.ChangeGenerator.Step(100, entities);

        // contact keeps streaming while dfeta_sanction fails again and again.
        await WaitUntilEqualAsync(simulator, worker, ["contact"], stop.Token);
        await WaitForAsync(() => worker.Supervisor.States.Single(s => s.EntityName == "dfeta_sanction") is { Status: EntityStatus.Failed, ConsecutiveFailures: >= 3 }, stop.Token);

        simulator.Faults.Clear();
        await WaitUntilEqualAsync(simulator, worker, entities, stop.Token);
        await WaitForAsync(() => worker.Supervisor.States.All(s => s.Status == EntityStatus.Streaming), stop.Token);
        await stop.CancelAsync();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    private static async Task RunUntilEqualAsync(SimulatorHost simulator, InProcessWorker worker, string[] entities, CancellationToken cancellationToken)
    {
        var schemas = await worker.Supervisor.PreflightAsync(cancellationToken);
        await worker.Supervisor.InitializeAsync(schemas, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = Task.Run(() => worker.Supervisor.RunAsync(stop.Token), CancellationToken.None);
        await WaitUntilEqualAsync(simulator, worker, entities, cancellationToken);
        await stop.CancelAsync();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    private static async Task WaitUntilEqualAsync(SimulatorHost simulator, InProcessWorker worker, string[] entities, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> differences = ["not compared yet"];
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                differences = [.. (await Task.WhenAll(entities.Select(e => ReplicaComparer.CompareAsync(simulator.Store, worker.Source, worker.Target, e, cancellationToken)))).SelectMany(d => d)];
                if (differences.Count == 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                differences = [e.Message];
            }

            await Task.Delay(250, CancellationToken.None);
        }

        differences.Should().BeEmpty("the replica must converge to the source once the fault is over");
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            cancellationToken.IsCancellationRequested.Should().BeFalse("the condition was not reached in time");
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
