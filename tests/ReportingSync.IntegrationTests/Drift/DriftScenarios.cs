using ReportingSync.Model;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.Engine.Drift;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Target;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Drift;

/// <summary>
/// Schema drift under a running sync, end to end: the simulator changes dfeta_induction's metadata, the worker's next
/// metadata refresh plans and applies the change, and every test ends by comparing the data, not only the columns.
/// </summary>
public abstract class DriftScenarios(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Entity = "dfeta_induction";
    private SimulatorHost _simulator = null!;

    protected TempDirectory Temp { get; } = new("reportingsync-drift-");

    protected abstract string Provider { get; }

    protected abstract Task<string> CreateTargetAsync();

    /// <summary>The database type of a column as the target reports it (null when the column does not exist).</summary>
    private async Task<TargetColumn?> ColumnAsync(InProcessWorker worker, string column) =>
        (await worker.Target.GetTableColumnsAsync(Entity, CancellationToken.None))!.FirstOrDefault(c => c.Name == column);

    public async Task InitializeAsync() => _simulator = await SimulatorHost.StartAsync(new SimulatorOptions
    {
        Seed = 31,
        Entities = [Entity, "contact", "systemuser", "transactioncurrency"],
        RowCounts = { [Entity] = 600, ["contact"] = 200 },
    });

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        Temp.Dispose();
    }

    private InProcessWorker Worker(string connectionString, params (string Key, string Value)[] settings) =>
        InProcessWorker.For(new Uri(_simulator.BaseUrl), Provider, connectionString, [Entity], new Dictionary<string, string?>(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
        {
            // Every pass re-reads metadata, so "the next refresh" is the next pass.
            ["ReportingSync:MetadataRefreshInterval"] = "00:00:00",
        });

    private async Task SeedAsync(InProcessWorker worker)
    {
        (await worker.RunOnceAsync()).Should().OnlyContain(o => o.Succeeded);
        await ReplicaComparer.AssertEqualAsync(_simulator.Store, worker.Source, worker.Target, [Entity]);
    }

    private async Task PassAsync(InProcessWorker worker)
    {
        var outcomes = await worker.Supervisor.RunOnceAsync(CancellationToken.None);
        outcomes.Should().OnlyContain(o => o.Succeeded, string.Join("; ", outcomes.Select(o => o.Error?.Message)));
    }

    [Fact]
    public async Task A_longer_string_is_widened_in_place_and_a_long_value_written_right_after_is_intact()
    {
        var target = await CreateTargetAsync();
        await using var worker = Worker(target);
        await SeedAsync(worker);

        _simulator.Store.AlterAttribute(Entity, "dfeta_name", new AttributeAlteration { MaxLength = 400 });
        var id = _simulator.Store.Snapshot(Entity)[5].Id;
        var longValue = string.Concat(Enumerable.Repeat("Induction ", 30));
        _simulator.Store.Update(Entity, id, new Dictionary<string, object?> { ["dfeta_name"] = longValue });
        await PassAsync(worker);

        (await worker.Target.LoadQuarantineAsync(Entity, CancellationToken.None)).Should().BeEmpty("the value fits once the column is widened");
        await ReplicaComparer.AssertEqualAsync(_simulator.Store, worker.Source, worker.Target, [Entity]);
        if (Provider != "Sqlite")
        {
            // SQLite text has no length to widen.
            (await ColumnAsync(worker, "dfeta_name"))!.MaxLength.Should().Be(400);
            (await HistoryAsync(worker)).Should().Contain(d => d.Contains("widen dfeta_name"));
            var change = (await worker.SchemaChangesAsync(Entity)).Should().ContainSingle().Subject;
            (change.Column, change.Change, change.Action).Should().Be(("dfeta_name", "MaxLength 100 → 400", "Widen"));
            change.Detail.Should().Be((await HistoryAsync(worker)).Single(), "the history keeps the same step text");
        }
        else
        {
            (await worker.SchemaChangesAsync(Entity)).Should().BeEmpty("nothing changed in the table, so nothing is recorded");
        }
    }

    [Fact]
    public async Task A_removed_attribute_keeps_its_column_with_NULL_from_then_on()
    {
        var target = await CreateTargetAsync();
        await using var worker = Worker(target);
        await SeedAsync(worker);

        _simulator.Store.RemoveAttribute(Entity, "dfeta_extensionlength");
        _simulator.ChangeGenerator.Step(60, [Entity]);
        await PassAsync(worker);

        (await ColumnAsync(worker, "dfeta_extensionlength")).Should().NotBeNull("RemovedColumns defaults to Keep");
        await ReplicaComparer.AssertEqualAsync(_simulator.Store, worker.Source, worker.Target, [Entity]);
    }

    [Fact]
    public async Task A_removed_attribute_is_dropped_with_RemovedColumns_Drop()
    {
        var target = await CreateTargetAsync();
        await using var worker = Worker(target, ("ReportingSync:Drift:RemovedColumns", "Drop"));
        await SeedAsync(worker);

        _simulator.Store.RemoveAttribute(Entity, "dfeta_extensionlength");
        _simulator.ChangeGenerator.Step(60, [Entity]);
        await PassAsync(worker);

        (await ColumnAsync(worker, "dfeta_extensionlength")).Should().BeNull();
        (await worker.SchemaChangesAsync(Entity)).Select(c => (c.Column, c.Change, c.Action)).Should().Equal(("dfeta_extensionlength", "attribute removed", "DropColumn"));
        await ReplicaComparer.AssertEqualAsync(_simulator.Store, worker.Source, worker.Target, [Entity]);
    }

    [Fact]
    public async Task A_new_attribute_gets_its_column_and_a_re_seed_fills_it_for_existing_rows()
    {
        var target = await CreateTargetAsync();
        await using var worker = Worker(target);
        await SeedAsync(worker);

        // The column arrives while changes stream in at a steady rate, and the pass that sees it re-seeds meanwhile.
        _simulator.ChangeGenerator.Start(changesPerSecond: 50, [Entity]);
        await Task.Delay(500);
        _simulator.Store.AddAttribute(Entity, new AttributeSpec { LogicalName = "dfeta_mentorname", Type = AttributeType.String, MaxLength = 120 }, fillExistingRows: true);
        await Task.Delay(500);
        await PassAsync(worker);
        await PassAsync(worker);
        await _simulator.ChangeGenerator.StopAsync();
        _simulator.ChangeGenerator.ChangesMade.Should().BeGreaterThan(20);
        await PassAsync(worker);

        (await ColumnAsync(worker, "dfeta_mentorname")).Should().NotBeNull();
        (await HistoryAsync(worker)).Should().Contain(d => d.StartsWith("add column dfeta_mentorname", StringComparison.Ordinal));
        var added = (await worker.SchemaChangesAsync(Entity)).Should().ContainSingle("the column exists from the first pass that saw it").Subject;
        (added.Column, added.Change, added.Action).Should().Be(("dfeta_mentorname", "new attribute string(120)", "AddColumn"));
        added.Detail.Should().StartWith("add column dfeta_mentorname string(120) and backfill it");
        (await worker.HistoryDetailsAsync(Entity, "ReseedStarted")).Should().ContainSingle().Which.Should().Contain("schema drift").And.Contain("dfeta_mentorname");
        (await worker.HistoryDetailsAsync(Entity, "ReseedCompleted")).Should().ContainSingle();

        // The comparison includes the new column: rows that existed before it was added carry the source's values.
        await ReplicaComparer.AssertEqualAsync(_simulator.Store, worker.Source, worker.Target, [Entity]);
        (await worker.Target.OpenCommandsAsync(Entity, CancellationToken.None)).Should().BeEmpty("the re-seed answered the request");
    }

    [Fact]
    public async Task A_type_change_is_rebuilt_through_a_shadow_reseed_and_the_table_is_never_emptied()
    {
        var target = await CreateTargetAsync();
        await using var worker = Worker(target);
        await SeedAsync(worker);
        var before = await worker.Target.CountRowsAsync(Entity, CancellationToken.None);

        _simulator.Store.AlterAttribute(Entity, "dfeta_certificatenumber", new AttributeAlteration { Type = AttributeType.Integer });
        var changes = _simulator.ChangeGenerator.Step(40, [Entity]);
        await PassAsync(worker);

        (await worker.Target.CountRowsAsync(Entity, CancellationToken.None)).Should().Be(before + changes.Count(c => c.Kind.ToString() == "Create") - changes.Count(c => c.Kind.ToString() == "Delete"), "the analysts' table is never emptied");
        (await worker.HistoryDetailsAsync(Entity, "ReseedStarted")).Should().ContainSingle().Which.Should().Contain("dfeta_certificatenumber");
        (await ColumnAsync(worker, "dfeta_certificatenumber"))!.Type.Should().NotBe(ColumnStorageType.String, "the rebuilt table has the new type");
        (await worker.SchemaChangesAsync(Entity)).Select(c => (c.Column, c.Change, c.Action)).Should().Contain(("dfeta_certificatenumber", "type String → Int32", "Rebuild"));
        await ReplicaComparer.AssertEqualAsync(_simulator.Store, worker.Source, worker.Target, [Entity]);
    }

    [Fact]
    public async Task A_type_change_under_TypeChanges_Fail_fails_that_entity_with_a_clear_message()
    {
        var target = await CreateTargetAsync();
        await using var worker = Worker(target, ("ReportingSync:Drift:TypeChanges", "Fail"));
        await SeedAsync(worker);

        _simulator.Store.AlterAttribute(Entity, "dfeta_certificatenumber", new AttributeAlteration { Type = AttributeType.Integer });
        var outcomes = await worker.Supervisor.RunOnceAsync(CancellationToken.None);

        outcomes.Single().Succeeded.Should().BeFalse();
        outcomes.Single().Error!.Message.Should().Be(
            "The schema of 'dfeta_induction' changed in a way the drift policy does not allow: fail: dfeta_certificatenumber changed type from " +
            (Provider == "Sqlite" ? "TEXT" : "character varying(20)") + " to Int32 and TypeChanges is Fail.");
        var refused = (await worker.SchemaChangesAsync(Entity)).Should().ContainSingle("a refused change is recorded too").Subject;
        (refused.Column, refused.Change, refused.Action).Should().Be(("dfeta_certificatenumber", "type String → Int32", "Fail"));
    }

    [Fact]
    public async Task Schema_diff_prints_each_planned_change_without_applying_it()
    {
        var target = await CreateTargetAsync();
        await using (var worker = Worker(target))
        {
            await SeedAsync(worker);
        }

        _simulator.Store.AlterAttribute(Entity, "dfeta_name", new AttributeAlteration { MaxLength = 400 });
        _simulator.Store.AlterAttribute(Entity, "dfeta_certificatenumber", new AttributeAlteration { Type = AttributeType.Integer });
        _simulator.Store.RemoveAttribute(Entity, "dfeta_extensionlength");
        _simulator.Store.AddAttribute(Entity, new AttributeSpec { LogicalName = "dfeta_mentorname", Type = AttributeType.String, MaxLength = 120 }, fillExistingRows: true);
        var config = new WorkerConfig { DataverseUrl = _simulator.BaseUrl, Provider = Provider, ConnectionString = target, Entities = [Entity] }.WriteTo(Temp.Path);

        var (exitCode, text) = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(1), "schema", "diff", "--config", config);
        output.WriteLine(text);

        exitCode.Should().Be(0, text);
        var lines = text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();
        lines.Should().Contain(l => l.StartsWith("  - add column dfeta_mentorname string(120) and backfill it", StringComparison.Ordinal));
        lines.Should().Contain("  - keep column dfeta_extensionlength, NULL from now on (the attribute is gone from the source; RemovedColumns is Keep)");
        lines.Should().Contain(l => l.StartsWith("  - rebuild the table through a shadow re-seed: dfeta_certificatenumber changed type", StringComparison.Ordinal));
        if (Provider != "Sqlite")
        {
            lines.Should().Contain(l => l.StartsWith("  - widen dfeta_name from", StringComparison.Ordinal) && l.EndsWith("to string(400) (MaxLength 100 → 400)", StringComparison.Ordinal));
        }

        await using var check = Worker(target);
        (await check.Target.GetTableColumnsAsync(Entity, CancellationToken.None))!.Should().NotContain(c => c.Name == "dfeta_mentorname", "diff changes nothing");
    }

    private static Task<IReadOnlyList<string>> HistoryAsync(InProcessWorker worker) => worker.HistoryDetailsAsync(Entity, "SchemaChange");
}

public sealed class PostgreSqlDriftTests(ITestOutputHelper output) : DriftScenarios(output)
{
    protected override string Provider => "PostgreSql";

    protected override async Task<string> CreateTargetAsync() => await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();
}

public sealed class SqliteDriftTests(ITestOutputHelper output) : DriftScenarios(output)
{
    protected override string Provider => "Sqlite";

    protected override Task<string> CreateTargetAsync() => Task.FromResult($"Data Source={Temp.File("drift.db")}");
}
