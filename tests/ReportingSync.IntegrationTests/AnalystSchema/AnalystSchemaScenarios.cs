using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.AnalystSchema;

/// <summary>
/// The analyst-facing schema end to end (issue 3): the simulator (the DQT model, built from the reference files) → the
/// Dataverse client → the engine → a real reporting database, through the worker's own composition
/// (<see cref="WorkerUnderTest"/>). Metadata tables and label views are synced wherever the engine reads metadata
/// (start-up, and each re-read); values a column cannot hold are never cut. Run once per dialect by a subclass; tests
/// are <see cref="TargetFactAttribute"/>s so the SQL Server subclass runs them only where a server is configured.
/// </summary>
public abstract class AnalystSchemaScenarios : IAsyncLifetime
{
    private const string Induction = "dfeta_induction";
    private const int Pass = 389040004;
    private const int NewOption = 389040099;

    protected string ConnectionString { get; private set; } = "";

    protected abstract string Provider { get; }

    /// <summary>Whether the database enforces string column lengths (not SQLite).</summary>
    protected virtual bool LimitsStringLength => true;

    /// <summary>A fresh, empty reporting database.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract Task<DbConnection> OpenConnectionAsync();

    /// <summary>Quoted name of a table or view in the data schema.</summary>
    protected abstract string Table(string name);

    /// <summary>The column's type as the database spells it, e.g. <c>character varying(300)</c>.</summary>
    protected abstract Task<string> ColumnTypeAsync(string table, string column);

    /// <summary>Extra worker settings the dialect needs (SQL Server: the test's own schemas).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public async Task InitializeAsync() => ConnectionString = await CreateDatabaseAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [TargetFact]
    public async Task Start_up_fills_the_metadata_tables_with_every_option_of_the_DQT_option_sets_and_its_label()
    {
        var names = DqtReference.Tables.Select(t => t.Table).ToList();
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { RowCounts = names.ToDictionary(n => n, _ => 0) });

        await using (var worker = WorkerUnderTest.Create(simulator, Provider, ConnectionString, names, Settings))
        {
            await worker.StartAsync();
        }

        // Expected straight from the two reference files, not from anything the code computed.
        var (local, global) = DqtReference.ExpectedOptions();
        var storedLocal = await QueryAsync($"SELECT \"EntityName\", \"OptionSetName\", \"Option\", \"LocalizedLabel\", \"LocalizedLabelLanguageCode\", \"IsUserLocalizedLabel\" FROM {Table("OptionSetMetadata")};");
        storedLocal.Select(r => (Text(r[0]), Text(r[1]), Int(r[2]), Text(r[3]))).Should().BeEquivalentTo(local);
        storedLocal.Should().OnlyContain(r => Int(r[4]) == 1033 && Convert.ToBoolean(r[5], CultureInfo.InvariantCulture));
        local.Should().HaveCountGreaterThan(200);

        var storedGlobal = await QueryAsync($"SELECT \"OptionSetName\", \"Option\", \"LocalizedLabel\", \"GlobalOptionSetName\" FROM {Table("GlobalOptionSetMetadata")};");
        storedGlobal.Select(r => (Text(r[0]), Int(r[1]), Text(r[2]), Text(r[3]))).Should().BeEquivalentTo(global);
        global.Should().Contain(("dfeta_inductionstatus", Pass, "Pass", "dfeta_InductionStatus"));

        var withStatus = DqtReference.Tables.Where(t => t.Columns.Any(c => c.Name == "statuscode")).Select(t => t.Table).ToList();
        var statuses = await QueryAsync($"SELECT \"EntityName\", \"State\", \"Status\", \"LocalizedLabel\" FROM {Table("StatusMetadata")};");
        statuses.Select(r => (Text(r[0]), Int(r[1]), Int(r[2]), Text(r[3]))).Should().BeEquivalentTo(
            withStatus.SelectMany(t => DqtReference.ExpectedStatuses(t).Select(s => (t, s.State, s.Status, s.Label))));
        var states = await QueryAsync($"SELECT \"EntityName\", \"State\", \"LocalizedLabel\" FROM {Table("StateMetadata")};");
        states.Select(r => (Text(r[0]), Int(r[1]), Text(r[2]))).Should().BeEquivalentTo(
            withStatus.SelectMany(t => new[] { (t, 0, "Active"), (t, 1, "Inactive") }));

        var attributes = Int(await ScalarAsync($"SELECT count(*) FROM {Table("AttributeMetadata")};"));
        attributes.Should().BeGreaterThan(2500, "every replicated attribute of the 55 tables is described");
    }

    [TargetFact]
    public async Task A_renamed_label_and_a_new_option_reach_the_metadata_tables_and_the_labelled_view_in_one_pass()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Entities = [Induction], RowCounts = { [Induction] = 12 } });
        await WorkerUnderTest.PassAsync(simulator, Provider, ConnectionString, [Induction], Settings);

        var inductionLabels = Labels(DqtReference.OptionSets["dfeta_InductionStatus"]);
        var statusLabels = Labels(DqtReference.OptionSets["dfeta_induction_StatusCode"]);
        var seeded = await LabelledAsync();
        seeded.Should().HaveCount(12);
        seeded.Should().OnlyContain(r => r.StatusLabel == statusLabels[r.Status!.Value], "dfeta_induction_labelled shows the status label");
        seeded.Where(r => r.Induction is not null).Should().OnlyContain(r => r.InductionLabel == inductionLabels[r.Induction!.Value]);

        // What an administrator does in Dataverse: rename a global option and a status, add an option, then use both.
        simulator.Store.RenameOptionLabel(Induction, "dfeta_inductionstatus", Pass, "Passed induction");
        simulator.Store.RenameOptionLabel(Induction, "statuscode", 1, "Open");
        simulator.Store.AddOption(Induction, "dfeta_inductionstatus", NewOption, "Exempt (new rule)");
        var rows = simulator.Store.Snapshot(Induction);
        simulator.Store.Update(Induction, rows[0].Id, new Dictionary<string, object?> { ["dfeta_inductionstatus"] = NewOption, ["statuscode"] = 1, ["statecode"] = 0 });
        simulator.Store.Update(Induction, rows[1].Id, new Dictionary<string, object?> { ["dfeta_inductionstatus"] = Pass, ["statuscode"] = 1, ["statecode"] = 0 });

        await WorkerUnderTest.PassAsync(simulator, Provider, ConnectionString, [Induction], Settings);

        var options = await QueryAsync($"SELECT \"Option\", \"LocalizedLabel\" FROM {Table("GlobalOptionSetMetadata")} WHERE \"OptionSetName\" = 'dfeta_inductionstatus';");
        options.Select(r => Int(r[0])).Should().OnlyHaveUniqueItems().And.HaveCount(inductionLabels.Count + 1);
        options.Single(r => Int(r[0]) == Pass)[1].Should().Be("Passed induction", "a renamed label is updated, not added");
        options.Single(r => Int(r[0]) == NewOption)[1].Should().Be("Exempt (new rule)");
        var statuses = await QueryAsync($"SELECT \"Status\", \"LocalizedLabel\" FROM {Table("StatusMetadata")} WHERE \"EntityName\" = '{Induction}';");
        statuses.Select(r => (Int(r[0]), Text(r[1]))).Should().BeEquivalentTo([(1, "Open"), (2, "Inactive")]);

        var labelled = (await LabelledAsync()).ToDictionary(r => r.Id);
        labelled[rows[0].Id].Should().Be(new LabelledRow(rows[0].Id, 1, "Open", NewOption, "Exempt (new rule)"));
        labelled[rows[1].Id].Should().Be(new LabelledRow(rows[1].Id, 1, "Open", Pass, "Passed induction"));
        labelled.Values.Where(r => r.Status == 1).Should().OnlyContain(r => r.StatusLabel == "Open", "the view joins the labels as they are now");
    }

    [TargetFact]
    public async Task A_string_longer_than_its_column_is_quarantined_with_the_reason_while_the_sync_carries_on()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Entities = [Induction], RowCounts = { [Induction] = 6 } });
        await using var worker = WorkerUnderTest.Create(simulator, Provider, ConnectionString, [Induction], Settings);
        await worker.StartAsync();
        await worker.RunOnceAsync();
        var rows = simulator.Store.Snapshot(Induction);
        var before = await NamesAsync();

        // Dataverse now allows 300 characters, but this worker still runs with the 100 of the metadata it started with.
        simulator.Store.AlterAttribute(Induction, "dfeta_name", new AttributeAlteration { MaxLength = 300 });
        var longName = new string('n', 250);
        simulator.Store.Update(Induction, rows[0].Id, new Dictionary<string, object?> { ["dfeta_name"] = longName });
        simulator.Store.Update(Induction, rows[1].Id, new Dictionary<string, object?> { ["dfeta_name"] = "fits" });

        var outcome = (await worker.RunOnceAsync()).Single();

        outcome.Result.Upserts.Should().Be(2);
        var names = await NamesAsync();
        names[rows[1].Id].Should().Be("fits", "the rest of the page commits");
        var state = await Target(worker).LoadStateAsync(Induction, CancellationToken.None);
        (state!.Status, state.LastError).Should().Be((EntityStatus.Streaming, (string?)null), "the sync carries on");
        var quarantine = await Target(worker).LoadQuarantineAsync(Induction, CancellationToken.None);
        if (LimitsStringLength)
        {
            names[rows[0].Id].Should().Be(before[rows[0].Id], "the row is never written cut short");
            var entry = quarantine.Should().ContainSingle().Subject;
            (entry.RecordId, entry.ColumnName).Should().Be((rows[0].Id, "dfeta_name"));
            entry.Reason.Should().Contain("250").And.Contain("at most 100").And.NotContain(longName);
        }
        else
        {
            names[rows[0].Id].Should().Be(longName, "SQLite text holds any length");
            quarantine.Should().BeEmpty();
        }
    }

    [TargetFact]
    public async Task A_row_quarantined_for_its_length_is_read_again_once_the_column_is_widened()
    {
        if (!LimitsStringLength)
        {
            // SQLite text holds any length: nothing is quarantined for it (see the test above).
            return;
        }

        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Entities = [Induction], RowCounts = { [Induction] = 6 } });
        await using (var worker = WorkerUnderTest.Create(simulator, Provider, ConnectionString, [Induction], Settings))
        {
            await worker.StartAsync();
            await worker.RunOnceAsync();
            simulator.Store.AlterAttribute(Induction, "dfeta_name", new AttributeAlteration { MaxLength = 300 });
            simulator.Store.Update(Induction, simulator.Store.Snapshot(Induction)[0].Id, new Dictionary<string, object?> { ["dfeta_name"] = new string('q', 250) });
            await worker.RunOnceAsync();
            (await Target(worker).LoadQuarantineAsync(Induction, CancellationToken.None)).Should().ContainSingle();
        }

        // The next start reads the metadata, widens the column and reads the quarantined row again; the source row has
        // not changed since, so no delta would ever bring it.
        await using var restarted = WorkerUnderTest.Create(simulator, Provider, ConnectionString, [Induction], Settings);
        await restarted.StartAsync();
        await restarted.RunOnceAsync();

        (await NamesAsync())[simulator.Store.Snapshot(Induction)[0].Id].Should().Be(new string('q', 250));
        (await Target(restarted).LoadQuarantineAsync(Induction, CancellationToken.None)).Should().BeEmpty();
        var reconciler = restarted.Services.GetRequiredService<ReportingSync.Engine.Reconciliation.Reconciler>();
        (await reconciler.RunAsync(Induction, new ReportingSync.Engine.Reconciliation.ReconcileRequest(Deep: true), null, CancellationToken.None)).Run.Status
            .Should().Be(ReconciliationStatus.Clean);
    }

    [TargetFact]
    public async Task When_the_metadata_allows_longer_strings_the_column_is_widened_and_the_value_stored_whole()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Entities = [Induction], RowCounts = { [Induction] = 6 } });
        await WorkerUnderTest.PassAsync(simulator, Provider, ConnectionString, [Induction], Settings);
        var row = simulator.Store.Snapshot(Induction)[0];

        simulator.Store.AlterAttribute(Induction, "dfeta_name", new AttributeAlteration { MaxLength = 300 });
        var longName = new string('w', 250);
        simulator.Store.Update(Induction, row.Id, new Dictionary<string, object?> { ["dfeta_name"] = longName });

        // A run reads the metadata afresh, so the table is brought up to it before the changes are read.
        await using var worker = WorkerUnderTest.Create(simulator, Provider, ConnectionString, [Induction], Settings);
        await worker.StartAsync();
        await worker.RunOnceAsync();

        (await NamesAsync())[row.Id].Should().Be(longName);
        (await Target(worker).LoadQuarantineAsync(Induction, CancellationToken.None)).Should().BeEmpty();
        if (LimitsStringLength)
        {
            (await ColumnTypeAsync(Induction, "dfeta_name")).Should().Contain("300");
        }
    }

    private static IReportingTarget Target(WorkerUnderTest worker) => worker.Services.GetRequiredService<IReportingTarget>();

    private static Dictionary<int, string> Labels(IReadOnlyList<(int Value, string Label)> options) => options.ToDictionary(o => o.Value, o => o.Label);

    private async Task<Dictionary<Guid, string?>> NamesAsync() =>
        (await QueryAsync($"SELECT \"Id\", \"dfeta_name\" FROM {Table(Induction)};")).ToDictionary(r => Id(r[0]), r => (string?)r[1]);

    private async Task<List<LabelledRow>> LabelledAsync() =>
        (await QueryAsync($"SELECT \"Id\", \"statuscode\", \"statuscode_label\", \"dfeta_inductionstatus\", \"dfeta_inductionstatus_label\" FROM {Table(Induction + "_labelled")};"))
        .Select(r => new LabelledRow(Id(r[0]), NullableInt(r[1]), (string?)r[2], NullableInt(r[3]), (string?)r[4]))
        .ToList();

    private async Task<object?> ScalarAsync(string sql) => (await QueryAsync(sql)).Single()[0];

    private async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return await RawQuery.ReadAllAsync(connection, sql);
    }

    private static Guid Id(object? value) => value is Guid id ? id : Guid.Parse(Text(value));

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;

    private static int Int(object? value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);

    private static int? NullableInt(object? value) => value is null ? null : Int(value);

    private sealed record LabelledRow(Guid Id, int? Status, string? StatusLabel, int? Induction, string? InductionLabel);
}
