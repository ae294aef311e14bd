using System.Globalization;
using Npgsql;
using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Faults;

/// <summary>
/// The soak: random faults of every kind, a steady change rate over five entities, two replicas of which one is killed
/// and restarted again and again, killed connections and a database restart; at the end a reconciliation of every
/// entity must be clean. <c>REPORTINGSYNC_SOAK_SECONDS</c> sets the length (default 60 s for CI; 600 for a real soak).
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly string[] Entities = ["contact", "dfeta_induction", "dfeta_qtsregistration", "dfeta_sanction", "dfeta_qualification"];

    [Fact]
    public async Task Random_faults_replica_kills_and_a_database_restart_under_100_changes_a_second_end_with_a_clean_reconciliation()
    {
        var duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("REPORTINGSYNC_SOAK_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 60);
        var restartEvery = TimeSpan.FromSeconds(Math.Min(30, duration.TotalSeconds / 3));
        using var temp = new TempDirectory("reportingsync-soak-");
        await using var cluster = await PostgresCluster.StartNewAsync();
        var database = await cluster.CreateDatabaseAsync();
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 61,
            Entities = [.. Entities, "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 1_500, ["dfeta_induction"] = 1_000, ["dfeta_qtsregistration"] = 1_000, ["dfeta_sanction"] = 300, ["dfeta_qualification"] = 600 },
            MaxPageSize = 300,
        });
        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = "PostgreSql",
            ConnectionString = database,
            Entities = Entities,
            PollInterval = TimeSpan.FromMilliseconds(500),
            MaxRetries = 4,
            Extra = new()
            {
                ["ReportingSync:Dataverse:RetryBaseDelay"] = "00:00:00.100",
                ["ReportingSync:Dataverse:RetryMaxDelay"] = "00:00:01",
                ["ReportingSync:Dataverse:RequestTimeout"] = "00:00:05",
                ["ReportingSync:FailureBackoff"] = "00:00:00.200",
                ["ReportingSync:MaxFailureBackoff"] = "00:00:02",
            },
        }.WriteTo(temp.Path);

        await using var check = InProcessWorker.For(new Uri(simulator.BaseUrl), "PostgreSql", database, Entities);
        await check.Target.InitializeAsync(CancellationToken.None);
        await InstallCommitLogAsync(database);

        // The replica that will be killed starts first and holds some entities before the steady one starts: leases
        // are renewed for as long as their holder lives, so a replica started later only gets what is left or freed.
        var restarted = WorkerProcess.Start("run", "--config", config);
        await restarted.WaitForOutputAsync("Took the lease", TimeSpan.FromMinutes(1));
        var steady = WorkerProcess.Start("run", "--config", config);
        var processes = new List<WorkerProcess> { steady, restarted };
        var restarts = 0;
        var terminations = 0L;
        try
        {
            AddRandomFaults(simulator);
            simulator.ChangeGenerator.Start(100, Entities);
            var started = DateTime.UtcNow;
            var nextRestart = started + restartEvery;
            var nextTermination = started + TimeSpan.FromSeconds(7);
            var databaseRestarted = false;
            while (DateTime.UtcNow - started < duration)
            {
                steady.HasExited.Should().BeFalse(steady.Output);
                if (DateTime.UtcNow >= nextRestart)
                {
                    restarted.Kill();
                    restarted = WorkerProcess.Start("run", "--config", config);
                    processes.Add(restarted);
                    restarts++;
                    nextRestart += restartEvery;
                }

                if (DateTime.UtcNow >= nextTermination)
                {
                    terminations += await cluster.TerminateConnectionsAsync(database);
                    nextTermination += TimeSpan.FromSeconds(7);
                }

                if (!databaseRestarted && DateTime.UtcNow - started > duration / 2)
                {
                    await cluster.StopAsync(immediate: true);
                    await Task.Delay(1_500);
                    await cluster.StartAsync();
                    databaseRestarted = true;
                }

                await Task.Delay(200);
            }

            await simulator.ChangeGenerator.StopAsync();
            simulator.Faults.Clear();
            var injected = simulator.Faults.CountsByKind;

            // Converged means: a reconciliation of every entity, from a separate process, exits 0 (clean).
            (int ExitCode, string Output) reconcile = (-1, "");
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline)
            {
                reconcile = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(2), "reconcile", "--config", config, "--all", "--json");
                if (reconcile.ExitCode == 0)
                {
                    break;
                }

                await Task.Delay(2_000);
            }

            output.WriteLine($"{duration.TotalSeconds:0} s soak: {simulator.ChangeGenerator.ChangesMade} changes, {restarts} replica restarts, " +
                             $"{terminations} connections killed, 1 database restart; faults injected: " +
                             string.Join(", ", injected.OrderBy(kv => kv.Key.ToString()).Select(kv => $"{kv.Key} {kv.Value}")));
            output.WriteLine(reconcile.Output);
            reconcile.ExitCode.Should().Be(0, "a reconciliation after the soak must be clean:\n" + reconcile.Output);
            injected.Keys.Should().HaveCountGreaterThanOrEqualTo(6, "most kinds of fault must actually have happened");

            // The test's own pooled connections were killed along with the workers': read with new ones.
            NpgsqlConnection.ClearAllPools();
            var overlaps = await LeaseOverlapsAsync(database);
            output.WriteLine($"{overlaps.Commits} state commits by {overlaps.Owners} owners; {overlaps.Handovers} handovers");
            overlaps.Violations.Should().BeEmpty("no replica may write an entity while another holds its lease");
            overlaps.Handovers.Should().BeGreaterThan(0, "restarts must have moved entities between replicas");
            await using var fresh = InProcessWorker.For(new Uri(simulator.BaseUrl), "PostgreSql", database, Entities);
            await ReplicaComparer.AssertEqualAsync(simulator.Store, fresh.Source, fresh.Target, Entities);
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static void AddRandomFaults(SimulatorHost simulator)
    {
        (FaultKind Kind, FaultScope Scope, double Probability)[] faults =
        [
            (FaultKind.InternalServerError, FaultScope.Any, 0.02), (FaultKind.BadGateway, FaultScope.NextLink, 0.03),
            (FaultKind.ServiceUnavailable, FaultScope.Metadata, 0.05), (FaultKind.ConnectionReset, FaultScope.Delta, 0.02),
            (FaultKind.TruncatedJson, FaultScope.Delta, 0.02), (FaultKind.SlowResponse, FaultScope.Delta, 0.01),
            (FaultKind.TooManyRequests, FaultScope.Any, 0.01), (FaultKind.NextLinkBadRequest, FaultScope.NextLink, 0.01),
        ];
        foreach (var (kind, scope, probability) in faults)
        {
            simulator.Faults.Add(new FaultRule
            {
                Kind = kind, Scope = scope, Probability = probability, Delay = TimeSpan.FromSeconds(1), RetryAfter = TimeSpan.FromSeconds(2),
            });
        }

        // One expired token: that entity re-seeds through its shadow table in the middle of everything else.
        simulator.Faults.Add(new FaultRule { Kind = FaultKind.ExpiredToken, Scope = FaultScope.Delta, PathPattern = "dfeta_sanctions", Count = 1 });
    }

    /// <summary>
    /// A trigger records every write of an entity's state row (each page commit, lease take, renewal and release)
    /// with the owner and lease expiry it wrote and the database's clock: the commit records the overlap check reads.
    /// </summary>
    private static async Task InstallCommitLogAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            CREATE TABLE public.soak_commit_log (seq bigserial PRIMARY KEY, entity text, owner text, expires timestamp, at timestamp);
            CREATE FUNCTION public.soak_log() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO public.soak_commit_log (entity, owner, expires, at)
              VALUES (NEW."EntityName", NEW."LeaseOwner", NEW."LeaseExpiresUtc", clock_timestamp() AT TIME ZONE 'UTC');
              RETURN NEW;
            END $$;
            CREATE TRIGGER soak_log AFTER INSERT OR UPDATE ON reportingsync."EntityState" FOR EACH ROW EXECUTE FUNCTION public.soak_log();
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Whenever the owner of an entity's row changes from one replica to another, the new owner's first write must come
    /// after the old owner's lease expired (or after the old owner released it).
    /// </summary>
    private static async Task<(int Commits, int Owners, int Handovers, List<string> Violations)> LeaseOverlapsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT entity, owner, expires, at FROM public.soak_commit_log ORDER BY seq", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var last = new Dictionary<string, (string? Owner, DateTime? Expires)>();
        var owners = new HashSet<string>();
        var violations = new List<string>();
        int commits = 0, handovers = 0;
        while (await reader.ReadAsync())
        {
            commits++;
            var entity = reader.GetString(0);
            var owner = reader.IsDBNull(1) ? null : reader.GetString(1);
            var expires = reader.IsDBNull(2) ? (DateTime?)null : reader.GetDateTime(2);
            var at = reader.GetDateTime(3);
            if (owner is not null)
            {
                owners.Add(owner);
            }

            if (last.TryGetValue(entity, out var previous) && previous.Owner is not null && owner is not null && owner != previous.Owner)
            {
                handovers++;
                if (previous.Expires is { } until && at < until.AddMilliseconds(-50))
                {
                    violations.Add($"{entity}: {owner} wrote at {at:O} while {previous.Owner} held the lease until {until:O}");
                }
            }

            last[entity] = (owner, expires);
        }

        return (commits, owners.Count, handovers, violations);
    }
}
