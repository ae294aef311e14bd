using System.Data.Common;
using System.Globalization;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.AnalystObjects;

/// <summary>
/// Issue 19, as an analyst meets it: objects built on the replicated <c>contact</c> table (a view, an index and, where
/// the database has them, a grant to a reporting role and a comment) survive <c>run --once --reseed contact</c> and a
/// type-change rebuild of a column the view selects, run by the real executable against the simulator; the view then
/// shows the re-seeded rows. Run once per dialect by a subclass, which creates and checks the objects.
/// </summary>
public abstract class AnalystObjectScenarios(ITestOutputHelper output) : IAsyncLifetime
{
    protected const string Entity = "contact";
    protected const string View = "analyst_contacts";
    protected static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    protected TempDirectory Temp { get; } = new("reportingsync-analysts-");

    protected ITestOutputHelper Output => output;

    private protected SimulatorHost Simulator { get; private set; } = null!;

    protected string ConnectionString { get; private set; } = "";

    protected abstract string Provider { get; }

    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract Task<DbConnection> OpenAsync();

    /// <summary>The view <see cref="View"/> (<c>"Id", firstname, lastname, dfeta_trn</c> of contact), an index and whatever else the dialect has.</summary>
    protected abstract Task CreateAnalystObjectsAsync();

    /// <summary>Asserts that everything <see cref="CreateAnalystObjectsAsync"/> made is still there (the view's rows are checked here).</summary>
    protected abstract Task AssertAnalystObjectsKeptAsync();

    public async Task InitializeAsync()
    {
        Simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 19,
            Entities = [Entity, "account", "systemuser", "transactioncurrency"],
            RowCounts = { [Entity] = 400, ["account"] = 50 },
            MaxPageSize = 150,
        });
        ConnectionString = await CreateDatabaseAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Temp.Dispose();
    }

    [Fact]
    public async Task Objects_built_on_contact_survive_run_once_reseed_and_the_view_shows_the_reseeded_rows()
    {
        var config = WriteConfig();
        await RunAsync(config, "run", "--config", config, "--once");
        await CreateAnalystObjectsAsync();
        var changed = Simulator.Store.Snapshot(Entity)[7].Id;
        Simulator.Store.Update(Entity, changed, new Dictionary<string, object?> { ["firstname"] = "Changed just before the re-seed" });

        var run = await RunAsync(config, "run", "--config", config, "--once", "--reseed", Entity);

        run.Should().NotContain("re-seed waits");
        await AssertAnalystObjectsKeptAsync();
        (await ViewRowsAsync()).Should().HaveCount(Simulator.Store.Count(Entity));
        (await ScalarAsync($"SELECT firstname FROM {View} WHERE {IdEquals(changed)};")).Should().Be("Changed just before the re-seed");
        await using var check = Worker();
        (await check.HistoryDetailsAsync(Entity, "ReseedCompleted")).Should().ContainSingle();
        await ReplicaComparer.AssertEqualAsync(Simulator.Store, check.Source, check.Target, [Entity]);
    }

    [Fact]
    public async Task A_string_to_integer_rebuild_of_a_column_the_view_selects_keeps_the_view_and_the_rest()
    {
        var config = WriteConfig();
        await RunAsync(config, "run", "--config", config, "--once");
        await CreateAnalystObjectsAsync();

        Simulator.Store.AlterAttribute(Entity, "dfeta_trn", new AttributeAlteration { Type = AttributeType.Integer });
        var changed = Simulator.Store.Snapshot(Entity)[11].Id;
        Simulator.Store.Update(Entity, changed, new Dictionary<string, object?> { ["dfeta_trn"] = 7654321, ["firstname"] = "Changed just before the rebuild" });
        await RunAsync(config, "run", "--config", config, "--once");

        await using var check = Worker();
        (await check.Target.GetTableColumnsAsync(Entity, CancellationToken.None))!.Single(c => c.Name == "dfeta_trn").Type.Should().Be(ColumnStorageType.Int32);
        (await check.SchemaChangesAsync(Entity)).Select(c => (c.Column, c.Action)).Should().Contain(("dfeta_trn", "Rebuild"));
        await AssertAnalystObjectsKeptAsync();
        var expected = Simulator.Store.Snapshot(Entity).ToDictionary(r => r.Id, r => r["dfeta_trn"] is { } trn ? Convert.ToInt32(trn, CultureInfo.InvariantCulture) : (int?)null);
        (await ViewRowsAsync()).Should().BeEquivalentTo(expected, "the view is kept over the column's new type and shows the re-seeded values");
        expected[changed].Should().Be(7654321);
        (await ScalarAsync($"SELECT firstname FROM {View} WHERE {IdEquals(changed)};")).Should().Be("Changed just before the rebuild");
        await ReplicaComparer.AssertEqualAsync(Simulator.Store, check.Source, check.Target, [Entity]);
    }

    [Fact]
    public async Task A_column_kept_after_its_attribute_was_removed_and_one_an_analyst_added_survive_a_reseed_and_a_rebuild_with_their_values()
    {
        var row = Simulator.Store.Snapshot(Entity)[5].Id;
        Simulator.Store.Update(Entity, row, new Dictionary<string, object?> { ["middlename"] = "Kept" });
        var config = WriteConfig();
        await RunAsync(config, "run", "--config", config, "--once");
        await ExecuteAsync($"""
            ALTER TABLE contact ADD COLUMN analyst_note text;
            UPDATE contact SET analyst_note = 'checked by the data team' WHERE {IdEquals(row)};
            CREATE INDEX ix_contact_analyst_note ON contact (analyst_note);
            """);
        Simulator.Store.RemoveAttribute(Entity, "middlename");
        (await RunAsync(config, "run", "--config", config, "--once")).Should().Contain("The metadata of contact no longer matches its table");
        (await ScalarAsync($"SELECT middlename FROM contact WHERE {IdEquals(row)};")).Should().Be("Kept", "drift keeps the column (RemovedColumns: Keep)");

        await RunAsync(config, "run", "--config", config, "--once", "--reseed", Entity);
        await AssertKeptColumnsAsync("a re-seed");

        Simulator.Store.AlterAttribute(Entity, "dfeta_trn", new AttributeAlteration { Type = AttributeType.Integer });
        await RunAsync(config, "run", "--config", config, "--once");
        await using var check = Worker();
        (await check.Target.GetTableColumnsAsync(Entity, CancellationToken.None))!.Single(c => c.Name == "dfeta_trn").Type.Should().Be(ColumnStorageType.Int32);
        await AssertKeptColumnsAsync("a type-change rebuild");
        (await ScalarAsync("SELECT count(*) FROM contact WHERE analyst_note IS NOT NULL;")).Should().Be(1L);
        await ReplicaComparer.AssertEqualAsync(Simulator.Store, check.Source, check.Target, [Entity]);

        async Task AssertKeptColumnsAsync(string after)
        {
            (await ScalarAsync($"SELECT middlename FROM contact WHERE {IdEquals(row)};")).Should().Be("Kept", $"the column kept after its attribute was removed keeps its values through {after}");
            (await ScalarAsync($"SELECT analyst_note FROM contact WHERE {IdEquals(row)};")).Should().Be("checked by the data team", $"the analyst's own column stays through {after}");
            (await ScalarAsync($"SELECT count(*) FROM contact WHERE analyst_note = 'checked by the data team';")).Should().Be(1L);
        }
    }

    protected string WriteConfig() => new WorkerConfig
    {
        DataverseUrl = Simulator.BaseUrl,
        Provider = Provider,
        ConnectionString = ConnectionString,
        Entities = [Entity],
        PollInterval = TimeSpan.FromMilliseconds(500),
    }.WriteTo(Temp.Path);

    /// <summary>Runs the executable, expects exit code 0 and returns its output.</summary>
    protected async Task<string> RunAsync(string config, params string[] arguments)
    {
        var (exitCode, text) = await WorkerProcess.RunAsync(RunTimeout, arguments);
        output.WriteLine($"$ reportingsync {string.Join(' ', arguments)}\n{text}");
        exitCode.Should().Be(0, text);
        return text;
    }

    private protected InProcessWorker Worker() => InProcessWorker.For(new Uri(Simulator.BaseUrl), Provider, ConnectionString, [Entity]);

    /// <summary>A condition on the Id column (PostgreSQL casts the text to uuid; SQLite stores ids as this text).</summary>
    protected static string IdEquals(Guid id) => $"\"Id\" = '{id:D}'";

    /// <summary>The view's rows: id and TRN (null, or the value as a number).</summary>
    protected async Task<Dictionary<Guid, int?>> ViewRowsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"Id\", dfeta_trn FROM {View};";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<Guid, int?>();
        while (await reader.ReadAsync())
        {
            var id = reader.GetValue(0) is Guid g ? g : Guid.Parse(reader.GetString(0));
            rows[id] = reader.IsDBNull(1) ? null
                : reader.GetValue(1) is string text ? int.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : -1
                : Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        return rows;
    }

    protected async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    protected async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
