using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReportingSync.Cli;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Engine.Reconciliation;
using ReportingSync.Target;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.Reconciliation;

/// <summary>
/// Issue 6 end to end: the simulator over HTTP, a real database, the worker's own composition. The target is
/// corrupted behind the worker's back with plain SQL at known ids; reconciliation must name exactly those ids with
/// the right kind, repair them through the commit path, and then come back clean.
/// </summary>
public abstract class ReconciliationScenarios : IDisposable
{
    private const string Entity = "contact";

    protected TempDirectory Temp { get; } = new("reportingsync-recon-");

    protected abstract string Provider { get; }

    protected abstract Task<string> CreateTargetAsync();

    /// <summary>A connection string whose database cannot be reached.</summary>
    protected abstract string UnreachableTarget();

    protected abstract DbConnection Connect(string connectionString);

    /// <summary>An id as the dialect stores it (uuid, or lower-case text in SQLite).</summary>
    protected abstract object Id(Guid id);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Corrupted_rows_are_reported_by_id_and_kind_repaired_and_a_second_run_is_clean()
    {
        await using var simulator = await StartSimulatorAsync();
        var target = await CreateTargetAsync();
        await using var worker = WorkerUnderTest.Create(simulator, Provider, target, [Entity]);
        await worker.StartAsync();
        await worker.RunOnceAsync();

        var rows = simulator.Store.Snapshot(Entity);
        var deleted = rows[10].Id;
        var rolledBack = rows[20].Id;
        var aheadAndChanged = rows[30].Id;
        var extra = Guid.NewGuid();
        await ExecuteAsync(target, """DELETE FROM "contact" WHERE "Id" = @a""", deleted);
        await ExecuteAsync(target, """UPDATE "contact" SET "versionnumber" = "versionnumber" - 1 WHERE "Id" = @a""", rolledBack);
        await ExecuteAsync(target, """UPDATE "contact" SET "versionnumber" = "versionnumber" + 1000, "lastname" = 'Changed' WHERE "Id" = @a""", aheadAndChanged);
        await ExecuteAsync(
            target,
            """CREATE TEMP TABLE "copy" AS SELECT * FROM "contact" WHERE "Id" = @a; UPDATE "copy" SET "Id" = @b; INSERT INTO "contact" SELECT * FROM "copy"; DROP TABLE "copy";""",
            rows[40].Id, extra);

        var reconciler = worker.Services.GetRequiredService<Reconciler>();
        var report = await reconciler.RunAsync(Entity, new ReconcileRequest(), null, Ct);

        report.Run.Status.Should().Be(ReconciliationStatus.Differences);
        report.Findings.Select(f => (f.RecordId, f.Kind)).Should().BeEquivalentTo(new[]
        {
            (deleted, FindingKind.Missing), (rolledBack, FindingKind.Stale), (aheadAndChanged, FindingKind.Stale), (extra, FindingKind.Extra),
        });
        (report.Run.Missing, report.Run.Extra, report.Run.Stale).Should().Be((1L, 1L, 2L));
        report.Run.SourceRows.Should().Be(simulator.Store.Count(Entity));
        var stored = await worker.Services.GetRequiredService<ReportingSync.Target.IReportingTarget>().LoadReconciliationFindingsAsync(report.Run.Id, Ct);
        stored.Select(f => (f.RecordId, f.Kind)).Should().BeEquivalentTo(report.Findings.Select(f => (f.RecordId, f.Kind)));

        var repair = await reconciler.RunAsync(Entity, new ReconcileRequest(Repair: true), null, Ct);
        repair.Run.Status.Should().Be(ReconciliationStatus.Repaired);
        repair.Run.Repaired.Should().Be(4);

        var again = await reconciler.RunAsync(Entity, new ReconcileRequest(Deep: true), null, Ct);
        again.Run.Status.Should().Be(ReconciliationStatus.Clean, again.Run.Detail);
        again.Run.Differences.Should().Be(0);
        var runs = await worker.Services.GetRequiredService<ReportingSync.Target.IReportingTarget>().LoadReconciliationRunsAsync(Entity, 10, Ct);
        runs.Select(r => r.Status).Should().Equal(ReconciliationStatus.Clean, ReconciliationStatus.Repaired, ReconciliationStatus.Differences);
    }

    [Fact]
    public async Task With_soft_deletes_a_row_ahead_of_the_source_is_repaired_visible_and_the_next_run_is_clean()
    {
        await using var simulator = await StartSimulatorAsync();
        var target = await CreateTargetAsync();
        await using var worker = WorkerUnderTest.Create(simulator, Provider, target, [Entity], new Dictionary<string, string?> { ["ReportingSync:SoftDeletes"] = "true" });
        await worker.StartAsync();
        await worker.RunOnceAsync();
        var ahead = simulator.Store.Snapshot(Entity)[30].Id;
        await ExecuteAsync(target, """UPDATE "contact" SET "versionnumber" = "versionnumber" + 1000, "lastname" = 'Changed' WHERE "Id" = @a""", ahead);

        var reconciler = worker.Services.GetRequiredService<Reconciler>();
        var repair = await reconciler.RunAsync(Entity, new ReconcileRequest(Deep: true, Repair: true), null, Ct);
        var again = await reconciler.RunAsync(Entity, new ReconcileRequest(Deep: true), null, Ct);

        repair.Run.Status.Should().Be(ReconciliationStatus.Repaired);
        again.Run.Status.Should().Be(ReconciliationStatus.Clean, "the repaired row is the source's version and visible, not hidden as deleted: " + again.Run.Detail);
    }

    [Fact]
    public async Task A_quarantined_row_is_counted_as_a_difference_named_with_the_column_that_refused_it()
    {
        await using var simulator = await StartSimulatorAsync();
        var target = await CreateTargetAsync();
        await using var worker = WorkerUnderTest.Create(simulator, Provider, target, [Entity]);
        await worker.StartAsync();
        await worker.RunOnceAsync();
        var poisoned = simulator.Store.Snapshot(Entity)[12].Id;
        simulator.Store.Update(Entity, poisoned, new Dictionary<string, object?> { ["description"] = "nul \0 inside" });
        await worker.RunOnceAsync();
        (await worker.Services.GetRequiredService<IReportingTarget>().LoadQuarantineAsync(Entity, Ct)).Should().ContainSingle();

        var report = await worker.Services.GetRequiredService<Reconciler>().RunAsync(Entity, new ReconcileRequest(), null, Ct);

        report.Run.Status.Should().Be(ReconciliationStatus.Differences, "analysts see the row as it was before the quarantined version");
        report.Findings.Should().ContainSingle().Which.Should().Match<ReconciliationFinding>(
            f => f.RecordId == poisoned && f.Kind == FindingKind.Stale && f.ColumnName == "description");
        report.Run.Stale.Should().Be(1);
    }

    [Fact]
    public async Task Deep_mode_finds_a_changed_column_value_that_fast_mode_cannot_see()
    {
        await using var simulator = await StartSimulatorAsync();
        var target = await CreateTargetAsync();
        await using var worker = WorkerUnderTest.Create(simulator, Provider, target, [Entity]);
        await worker.StartAsync();
        await worker.RunOnceAsync();
        var tampered = simulator.Store.Snapshot(Entity)[123].Id;
        await ExecuteAsync(target, """UPDATE "contact" SET "lastname" = 'Tampered' WHERE "Id" = @a""", tampered);

        var reconciler = worker.Services.GetRequiredService<Reconciler>();
        var fast = await reconciler.RunAsync(Entity, new ReconcileRequest(), null, Ct);
        fast.Run.Status.Should().Be(ReconciliationStatus.Clean, "the version is unchanged, so keys alone cannot see it");

        var deep = await reconciler.RunAsync(Entity, new ReconcileRequest(Deep: true), null, Ct);
        deep.Run.Status.Should().Be(ReconciliationStatus.Differences);
        deep.Findings.Should().ContainSingle().Which.Should().Match<ReconciliationFinding>(
            f => f.RecordId == tampered && f.Kind == FindingKind.ColumnDiff && f.ColumnName == "lastname");

        var repaired = await reconciler.RunAsync(Entity, new ReconcileRequest(Deep: true, Repair: true), null, Ct);
        repaired.Run.Status.Should().Be(ReconciliationStatus.Repaired);
        (await reconciler.RunAsync(Entity, new ReconcileRequest(Deep: true), null, Ct)).Run.Status.Should().Be(ReconciliationStatus.Clean);
    }

    [Fact]
    public async Task A_reconciliation_while_the_source_changes_100_rows_a_second_reports_no_false_differences()
    {
        await using var simulator = await StartSimulatorAsync();
        var target = await CreateTargetAsync();
        await using var worker = WorkerUnderTest.Create(simulator, Provider, target, [Entity], new Dictionary<string, string?>
        {
            ["ReportingSync:PollInterval"] = "00:00:01",
        });
        await worker.StartAsync();
        await worker.RunOnceAsync();

        using var stop = new CancellationTokenSource();
        var running = worker.Supervisor.RunAsync(stop.Token);
        simulator.ChangeGenerator.Start(changesPerSecond: 100, [Entity]);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var report = await worker.Services.GetRequiredService<Reconciler>().RunAsync(Entity, new ReconcileRequest(), null, Ct);

            simulator.ChangeGenerator.ChangesMade.Should().BeGreaterThan(100, "the source must really change during the check");
            report.Findings.Should().BeEmpty();
            report.Run.Status.Should().Be(ReconciliationStatus.Clean, report.Run.Detail);
        }
        finally
        {
            await simulator.ChangeGenerator.StopAsync();
            await stop.CancelAsync();
            await running.ContinueWith(_ => { });
        }
    }

    [Fact]
    public async Task The_command_exits_0_when_clean_1_with_differences_2_when_it_cannot_run()
    {
        await using var simulator = await StartSimulatorAsync();
        var target = await CreateTargetAsync();
        await using (var worker = WorkerUnderTest.Create(simulator, Provider, target, [Entity]))
        {
            await worker.StartAsync();
            await worker.RunOnceAsync();
        }

        var config = Config(simulator, target);
        (await CliAsync("reconcile", "--config", config, "--entity", Entity)).Code.Should().Be(ExitCodes.Success);

        var gone = simulator.Store.Snapshot(Entity)[5].Id;
        await ExecuteAsync(target, """DELETE FROM "contact" WHERE "Id" = @a""", gone);
        var differences = await CliAsync("reconcile", "--config", config, "--all", "--json");
        differences.Code.Should().Be(ExitCodes.Failure, differences.Error);
        using (var json = JsonDocument.Parse(differences.Output))
        {
            var finding = json.RootElement.GetProperty("runs")[0].GetProperty("findings")[0];
            finding.GetProperty("recordId").GetGuid().Should().Be(gone);
            finding.GetProperty("kind").GetString().Should().Be("Missing");
        }

        (await CliAsync("reconcile", "--config", config, "--entity", Entity, "--repair")).Code.Should().Be(ExitCodes.Success);
        (await CliAsync("reconcile", "--config", config, "--entity", Entity)).Code.Should().Be(ExitCodes.Success);

        var unknown = await CliAsync("reconcile", "--config", config, "--entity", "nosuchentity");
        unknown.Code.Should().Be(ExitCodes.CannotStart);
        unknown.Error.Should().Contain("Unknown entity 'nosuchentity'");

        var unreachable = await CliAsync("reconcile", "--config", Config(simulator, UnreachableTarget()), "--entity", Entity);
        unreachable.Code.Should().Be(ExitCodes.CannotStart);
        unreachable.Error.Should().Contain("Cannot start");
    }

    private static Task<SimulatorHost> StartSimulatorAsync() => SimulatorHost.StartAsync(new SimulatorOptions
    {
        Seed = 61,
        Entities = [Entity, "account", "systemuser", "transactioncurrency"],
        RowCounts = { [Entity] = 2_000, ["account"] = 50 },
    });

    private string Config(SimulatorHost simulator, string connectionString) => new WorkerConfig
    {
        DataverseUrl = simulator.BaseUrl,
        Provider = Provider,
        ConnectionString = connectionString,
        Entities = [Entity],
        Extra = { ["Logging:LogLevel:Default"] = "Warning" },
    }.WriteTo(Temp.Path);

    private static async Task<(int Code, string Output, string Error)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ReportingSyncCli.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task ExecuteAsync(string connectionString, string sql, Guid a, Guid? b = null)
    {
        await using var connection = Connect(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in new[] { ("a", (Guid?)a), ("b", b) })
        {
            if (value is { } id)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = Id(id);
                command.Parameters.Add(parameter);
            }
        }

        (await command.ExecuteNonQueryAsync()).Should().NotBe(0, sql);
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
