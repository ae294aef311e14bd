using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;

namespace ReportingSync.IntegrationTests.History;

/// <summary>
/// Issue 16, history mode: an as-of query on <c>&lt;table&gt;_history</c> returns the source's rows as they were at that
/// moment. The reference is the simulator's own state, captured after each change; between changes the worker reads.
/// </summary>
public abstract class HistoryScenarios : IDisposable
{
    private const string Entity = "dfeta_induction";

    protected TempDirectory Temp { get; } = new("reportingsync-history-");

    protected string ConnectionString { get; private set; } = "";

    protected abstract string Provider { get; }

    protected abstract Task<string> CreateTargetAsync();

    protected abstract Task<DbConnection> OpenAsync();

    protected abstract string Table(string name);

    /// <summary>A point in time as the dialect's literal, in the form the history columns hold.</summary>
    protected abstract string TimeLiteral(DateTime utc);

    protected abstract string False { get; }

    private static CancellationToken Ct => CancellationToken.None;

    private static Task<SimulatorHost> StartSimulatorAsync() => SimulatorHost.StartAsync(new SimulatorOptions
    {
        Seed = 91,
        Entities = [Entity, "contact", "systemuser", "transactioncurrency"],
        RowCounts = { [Entity] = 120, ["contact"] = 60 },
        MaxPageSize = 40,
    });

    private async Task<InProcessWorker> WorkerAsync(SimulatorHost simulator)
    {
        ConnectionString = ConnectionString.Length > 0 ? ConnectionString : await CreateTargetAsync();
        return InProcessWorker.For(new Uri(simulator.BaseUrl), Provider, ConnectionString, [Entity], new Dictionary<string, string?>
        {
            ["ReportingSync:History"] = "true",
            ["ReportingSync:MetadataRefreshInterval"] = "00:00:00",
        });
    }

    private static async Task PassAsync(InProcessWorker worker)
    {
        var outcomes = await worker.RunOnceAsync();
        outcomes.Should().OnlyContain(o => o.Succeeded, string.Join("; ", outcomes.Select(o => o.Error?.Message)));
    }

    /// <summary>
    /// The source's rows now (id → versionnumber) and a moment after every change so far and before the next. Dataverse's
    /// <c>modifiedon</c> has whole seconds (so has the simulator's), which is the history's granularity: the next change
    /// waits for the next second.
    /// </summary>
    private static async Task<(DateTime At, Dictionary<Guid, long> Rows)> ObserveAsync(SimulatorHost simulator)
    {
        var rows = simulator.Store.Snapshot(Entity).ToDictionary(r => r.Id, r => r.Version);
        await Task.Delay(15);
        var at = DateTime.UtcNow;
        var nextSecond = at.AddTicks(TimeSpan.TicksPerSecond - (at.Ticks % TimeSpan.TicksPerSecond));
        await Task.Delay(nextSecond - DateTime.UtcNow + TimeSpan.FromMilliseconds(15));
        return (at, rows);
    }

    [Fact]
    public async Task An_as_of_query_returns_the_source_as_it_was_at_every_moment_through_updates_deletes_restores_and_creates()
    {
        await using var simulator = await StartSimulatorAsync();
        await using var worker = await WorkerAsync(simulator);
        await PassAsync(worker);
        var moments = new List<(DateTime At, Dictionary<Guid, long> Rows)> { await ObserveAsync(simulator) };

        var random = new Random(7);
        var deleted = new List<Guid>();
        for (var step = 0; step < 14; step++)
        {
            var rows = simulator.Store.Snapshot(Entity);
            switch (step % 4)
            {
                case 0:
                    foreach (var row in rows.OrderBy(_ => random.Next()).Take(5))
                    {
                        simulator.Store.Update(Entity, row.Id, new Dictionary<string, object?> { ["dfeta_name"] = $"step {step}" });
                    }

                    break;
                case 1:
                    foreach (var row in rows.OrderBy(_ => random.Next()).Take(3))
                    {
                        simulator.Store.Delete(Entity, row.Id);
                        deleted.Add(row.Id);
                    }

                    break;
                case 2:
                    simulator.Store.Restore(Entity, deleted[0]);
                    deleted.RemoveAt(0);
                    simulator.Store.Update(Entity, rows[0].Id, new Dictionary<string, object?> { ["dfeta_name"] = $"again {step}" });
                    break;
                default:
                    simulator.Store.Create(Entity, new Dictionary<string, object?> { ["dfeta_name"] = $"new at {step}" });
                    break;
            }

            await PassAsync(worker);
            moments.Add(await ObserveAsync(simulator));
        }

        foreach (var (at, rows) in moments)
        {
            (await AsOfAsync(at)).Should().BeEquivalentTo(rows, $"the history as of {at:O} must be the source then");
        }

        var check = await worker.Target.CheckHistoryAsync(await LayoutAsync(worker), Ct);
        check.Consistent.Should().BeTrue(check.ToString());

        // A pass that finds nothing new, and a page read twice, add no version.
        var versions = await CountAsync();
        await PassAsync(worker);
        (await CountAsync()).Should().Be(versions);
    }

    [Fact]
    public async Task A_reseed_adds_only_what_changed_and_leaves_the_history_consistent()
    {
        await using var simulator = await StartSimulatorAsync();
        await using var worker = await WorkerAsync(simulator);
        await PassAsync(worker);
        var before = await ObserveAsync(simulator);
        var seeded = await CountAsync();
        seeded.Should().Be(before.Rows.Count, "a seed writes one version per row");

        var rows = simulator.Store.Snapshot(Entity);
        simulator.Store.Update(Entity, rows[1].Id, new Dictionary<string, object?> { ["dfeta_name"] = "changed before the re-seed" });
        simulator.Store.Delete(Entity, rows[2].Id);
        await worker.Target.EnqueueCommandAsync(new ReportingSync.Target.SyncCommand { EntityName = Entity, Kind = "Reseed", RequestedBy = "test" }, Ct);
        for (var pass = 0; pass < 10 && (await worker.Target.LoadStateAsync(Entity, Ct))!.Status != EntityStatus.Streaming || pass == 0; pass++)
        {
            await PassAsync(worker);
        }

        (await worker.HistoryDetailsAsync(Entity, "ReseedCompleted")).Should().ContainSingle();
        var after = await ObserveAsync(simulator);
        (await CountAsync()).Should().Be(seeded + 2, "one new version and one delete; unchanged rows add nothing");
        (await AsOfAsync(before.At)).Should().BeEquivalentTo(before.Rows);
        (await AsOfAsync(after.At)).Should().BeEquivalentTo(after.Rows);
        var check = await worker.Target.CheckHistoryAsync(await LayoutAsync(worker), Ct);
        check.Consistent.Should().BeTrue(check.ToString());
    }

    [Fact]
    public async Task Killed_twice_while_streaming_with_history_on_the_history_has_no_gap_no_overlap_and_ends_at_the_live_rows()
    {
        await using var simulator = await StartSimulatorAsync();
        ConnectionString = await CreateTargetAsync();
        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = Provider,
            ConnectionString = ConnectionString,
            Entities = [Entity],
            PollInterval = TimeSpan.FromMilliseconds(100),
            Extra = new() { ["ReportingSync:History"] = "true", ["ReportingSync:Leases"] = "false" },
        }.WriteTo(Temp.Path);

        for (var kill = 0; kill < 2; kill++)
        {
            await using var worker = WorkerProcess.Start("run", "--config", config);
            await worker.WaitForOutputAsync(kill == 0 ? "Seeded dfeta_induction" : "Supervisor started", TimeSpan.FromMinutes(2));
            simulator.ChangeGenerator.Start(changesPerSecond: 150, [Entity]);
            await Task.Delay(TimeSpan.FromSeconds(2.5 + kill));
            worker.Kill();
            await simulator.ChangeGenerator.StopAsync();
        }

        simulator.ChangeGenerator.ChangesMade.Should().BeGreaterThan(100);
        var restart = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(2), "run", "--config", config, "--once");
        restart.ExitCode.Should().Be(0, restart.Output);
        var made = simulator.ChangeGenerator.ChangesMade;
        await Task.Delay(500);
        simulator.ChangeGenerator.ChangesMade.Should().Be(made, "the source must be still for the comparison");

        await using var check = await WorkerAsync(simulator);
        try
        {
            await ReplicaComparer.AssertEqualAsync(simulator.Store, check.Source, check.Target, [Entity]);
        }
        catch
        {
            Console.WriteLine(restart.Output);
            throw;
        }

        var history = await check.Target.CheckHistoryAsync(await LayoutAsync(check), Ct);
        history.Consistent.Should().BeTrue(history.ToString());
        (await AsOfAsync(DateTime.UtcNow.AddSeconds(1))).Should().BeEquivalentTo(simulator.Store.Snapshot(Entity).ToDictionary(r => r.Id, r => r.Version));
    }

    [Fact]
    public async Task Drift_reaches_the_history_a_new_column_is_filled_on_open_versions_and_a_retyped_one_keeps_its_old_values()
    {
        await using var simulator = await StartSimulatorAsync();
        await using var worker = await WorkerAsync(simulator);
        await PassAsync(worker);
        var rows = simulator.Store.Snapshot(Entity);
        simulator.Store.Update(Entity, rows[0].Id, new Dictionary<string, object?> { ["dfeta_name"] = "closes a version before the drift" });
        await PassAsync(worker);
        var closedBefore = await CountClosedAsync();

        simulator.Store.AddAttribute(Entity, new AttributeSpec { LogicalName = "dfeta_mentorname", Type = AttributeType.String, MaxLength = 120 }, fillExistingRows: true);
        simulator.Store.AlterAttribute(Entity, "dfeta_certificatenumber", new AttributeAlteration { Type = AttributeType.Integer });
        for (var pass = 0; pass < 6; pass++)
        {
            await PassAsync(worker);
        }

        (await worker.Target.LoadStateAsync(Entity, Ct))!.Status.Should().Be(EntityStatus.Streaming);
        var columns = (await worker.Target.GetTableColumnsAsync(Entity + "_history", Ct))!;
        columns.Should().Contain(c => c.Name == "dfeta_mentorname");
        columns.Single(c => c.Name == "dfeta_certificatenumber").Type.Should().NotBe(ColumnStorageType.String);
        var kept = columns.Should().ContainSingle(c => c.Name.StartsWith("dfeta_certificatenumber__before_", StringComparison.Ordinal)).Subject;
        kept.Type.Should().Be(ColumnStorageType.String);

        var open = await QueryAsync($"SELECT count(*), count(\"dfeta_mentorname\") FROM {Table(Entity + "_history")} WHERE \"ValidToUtc\" IS NULL;");
        var live = await QueryAsync($"SELECT count(\"dfeta_mentorname\") FROM {Table(Entity)};");
        Convert.ToInt64(live[0][0], CultureInfo.InvariantCulture).Should().BePositive();
        Convert.ToInt64(open[0][1], CultureInfo.InvariantCulture).Should().Be(Convert.ToInt64(live[0][0], CultureInfo.InvariantCulture), "the back-fill fills the open versions");
        var closed = await QueryAsync($"SELECT count(\"dfeta_mentorname\") FROM {Table(Entity + "_history")} WHERE \"ValidToUtc\" IS NOT NULL;");
        Convert.ToInt64(closed[0][0], CultureInfo.InvariantCulture).Should().Be(0, "nobody read the column for versions that had closed");
        (await CountClosedAsync()).Should().Be(closedBefore, "a back-fill or a rebuild reads no new version");
        var check = await worker.Target.CheckHistoryAsync(await LayoutAsync(worker), Ct);
        check.Consistent.Should().BeTrue(check.ToString());
    }

    private async Task<long> CountClosedAsync() =>
        Convert.ToInt64((await QueryAsync($"SELECT count(*) FROM {Table(Entity + "_history")} WHERE \"ValidToUtc\" IS NOT NULL;"))[0][0], CultureInfo.InvariantCulture);

    [Fact]
    public async Task Retention_prunes_closed_versions_only()
    {
        await using var simulator = await StartSimulatorAsync();
        await using var worker = await WorkerAsync(simulator);
        await PassAsync(worker);
        var rows = simulator.Store.Snapshot(Entity);
        foreach (var row in rows.Take(30))
        {
            simulator.Store.Update(Entity, row.Id, new Dictionary<string, object?> { ["dfeta_name"] = "closes the first version" });
        }

        await PassAsync(worker);
        (await CountAsync()).Should().Be(rows.Count + 30);

        var pruned = await worker.Target.PruneHistoryAsync(await LayoutAsync(worker), DateTime.UtcNow.AddSeconds(1), Ct);

        pruned.Should().Be(30);
        (await CountAsync()).Should().Be(rows.Count, "open versions are never pruned");
    }

    private async Task<TableLayout> LayoutAsync(InProcessWorker worker) =>
        TableLayout.Create(await worker.Source.GetEntitySchemaAsync(Entity, Ct), new ColumnSelection(), new LayoutOptions { History = true });

    /// <summary>The README's as-of query.</summary>
    private async Task<Dictionary<Guid, long>> AsOfAsync(DateTime at)
    {
        var t = TimeLiteral(at);
        var rows = await QueryAsync(
            $"SELECT \"Id\", \"versionnumber\" FROM {Table(Entity + "_history")} " +
            $"WHERE \"ValidFromUtc\" <= {t} AND (\"ValidToUtc\" IS NULL OR \"ValidToUtc\" > {t}) AND \"IsDeleted\" = {False};");
        return rows.ToDictionary(r => r[0] is Guid g ? g : Guid.Parse((string)r[0]!), r => Convert.ToInt64(r[1], CultureInfo.InvariantCulture));
    }

    private async Task<long> CountAsync() =>
        Convert.ToInt64((await QueryAsync($"SELECT count(*) FROM {Table(Entity + "_history")};"))[0][0], CultureInfo.InvariantCulture);

    private async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var connection = await OpenAsync();
        return await RawQuery.ReadAllAsync(connection, sql);
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class PostgreSqlHistoryTests : HistoryScenarios
{
    protected override string Provider => "PostgreSql";

    protected override string False => "false";

    protected override async Task<string> CreateTargetAsync() => await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();

    protected override async Task<DbConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override string Table(string name) => $"\"public\".\"{name}\"";

    protected override string TimeLiteral(DateTime utc) => $"TIMESTAMP '{utc:yyyy-MM-dd HH:mm:ss.ffffff}'";
}

public sealed class SqliteHistoryTests : HistoryScenarios
{
    protected override string Provider => "Sqlite";

    protected override string False => "0";

    protected override Task<string> CreateTargetAsync() => Task.FromResult($"Data Source={Temp.File($"history-{Guid.NewGuid():N}.db")}");

    protected override async Task<DbConnection> OpenAsync()
    {
        var connection = new SqliteConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    protected override string Table(string name) => $"\"{name}\"";

    protected override string TimeLiteral(DateTime utc) => $"'{utc:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}'";
}
