using System.Data.Common;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.IntegrationTests.Operations;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.AnalystObjects;

/// <summary>
/// The analyst objects on PostgreSQL: a view, an index, a grant to a reporting role (on the table and on the view) and
/// comments; and a re-seed that cannot keep something, which waits while the table streams and says what blocks it.
/// </summary>
public sealed class PostgreSqlAnalystObjectTests(ITestOutputHelper output) : AnalystObjectScenarios(output)
{
    private const string Comment = "Teachers (DQT contact), replicated by ReportingSync; ask the data team before changing it";

    // Roles belong to the cluster, which every test shares: one of its own per test.
    private readonly string _reader = "powerbi_reader_" + Guid.NewGuid().ToString("N")[..8];

    protected override string Provider => "PostgreSql";

    protected override async Task<string> CreateDatabaseAsync() => await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();

    protected override async Task<DbConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override async Task CreateAnalystObjectsAsync() => await ExecuteAsync($"""
        CREATE VIEW {View} AS SELECT "Id", firstname, lastname, dfeta_trn FROM contact;
        CREATE INDEX ix_contact_lastname ON contact (lastname);
        CREATE ROLE {_reader};
        GRANT SELECT ON contact TO {_reader};
        GRANT SELECT ON {View} TO {_reader};
        COMMENT ON TABLE contact IS '{Comment}';
        COMMENT ON VIEW {View} IS 'Contacts for the Power BI teacher report';
        CREATE TABLE analyst_audit (contact uuid, firstname text);
        CREATE FUNCTION analyst_audit_contact() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO analyst_audit VALUES (NEW."Id", NEW.firstname); RETURN NEW; END $$;
        CREATE TRIGGER trg_contact_audit AFTER UPDATE OF firstname ON contact FOR EACH ROW EXECUTE FUNCTION analyst_audit_contact();
        """);

    protected override async Task AssertAnalystObjectsKeptAsync()
    {
        (await ScalarAsync("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'contact' AND indexname = 'ix_contact_lastname';"))
            .Should().Be(1L, "the analyst's index is kept");
        (await ScalarAsync($"SELECT has_table_privilege('{_reader}', 'public.contact', 'SELECT');")).Should().Be(true, "the reporting role keeps its grant on the table");
        (await ScalarAsync($"SELECT has_table_privilege('{_reader}', 'public.{View}', 'SELECT');")).Should().Be(true, "and on the view");
        (await ScalarAsync("SELECT obj_description('public.contact'::regclass, 'pg_class');")).Should().Be(Comment);
        (await ScalarAsync($"SELECT obj_description('public.{View}'::regclass, 'pg_class');")).Should().Be("Contacts for the Power BI teacher report");
        (await ScalarAsync("SELECT count(*) FROM pg_trigger WHERE tgname = 'trg_contact_audit' AND tgrelid = 'public.contact'::regclass AND tgenabled = 'O';"))
            .Should().Be(1L, "the analyst's trigger is kept");
        ((long)(await ScalarAsync("SELECT count(*) FROM analyst_audit;"))!).Should().BeGreaterThan(0, "and fires for the rows the sync changes");
    }

    [Fact]
    public async Task A_rebuild_that_cannot_keep_a_policy_waits_while_the_table_streams_and_status_and_metrics_name_it()
    {
        var config = WriteConfig();
        await RunAsync(config, "run", "--config", config, "--once");
        await CreateAnalystObjectsAsync();
        await ExecuteAsync("CREATE POLICY analyst_policy ON contact USING (dfeta_trn IS DISTINCT FROM 'withheld');");
        Simulator.Store.AlterAttribute(Entity, "dfeta_trn", new AttributeAlteration { Type = AttributeType.Integer });
        var changed = Simulator.Store.Snapshot(Entity)[3].Id;
        Simulator.Store.Update(Entity, changed, new Dictionary<string, object?> { ["firstname"] = "Streamed while the re-seed waits" });

        var run = await RunAsync(config, "run", "--config", config, "--once");

        run.Should().Contain("re-seed waits for policy analyst_policy on table contact");
        (await ScalarAsync($"SELECT firstname FROM contact WHERE {IdEquals(changed)};")).Should().Be("Streamed while the re-seed waits", "the live table keeps streaming");
        (await ScalarAsync("SELECT data_type FROM information_schema.columns WHERE table_name = 'contact' AND column_name = 'dfeta_trn';"))
            .Should().Be("character varying", "nothing of the swap was applied");
        (await RunAsync(config, "status", "--config", config)).Should().Contain("re-seed waits for policy analyst_policy on table contact");
        var status = JsonOutput(await RunAsync(config, "status", "--config", config, "--json"));
        var contact = status.EnumerateArray().Single(e => e.GetProperty("entity").GetString() == Entity);
        contact.GetProperty("status").GetString().Should().Be("Reseeding");
        var blocker = contact.GetProperty("reseedBlockedBy").EnumerateArray().Should().ContainSingle().Subject;
        blocker.GetProperty("name").GetString().Should().Be("policy analyst_policy on table contact");
        blocker.GetProperty("reason").GetString().Should().Contain("dfeta_trn");
        blocker.GetProperty("remedy").GetString().Should().StartWith("Drop it");

        // A running worker shows it on /status and /metrics, and swaps by itself once the policy is gone.
        await using var worker = await OperationsWorker.StartAsync(Simulator, Provider, ConnectionString, [Entity]);
        await worker.RunAsync();
        var metric = "reportingsync_reseed_blocked{";
        await Eventually.TrueAsync(async () => (await worker.GetAsync("metrics")).Body.Split('\n')
            .Any(l => l.StartsWith(metric, StringComparison.Ordinal) && l.Contains("object=\"policy analyst_policy on table contact\"", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "the metric names the blocking object");
        var view = (await worker.StatusAsync()).GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entity").GetString() == Entity);
        view.GetProperty("reseedBlockedBy")[0].GetProperty("name").GetString().Should().Be("policy analyst_policy on table contact");
        (await StatusPageBlockerAsync(worker.BaseUrl)).Should().StartWith("Re-seed waits for policy analyst_policy on table contact: ").And.Contain("Drop it");

        await ExecuteAsync("DROP POLICY analyst_policy ON contact;");
        await Eventually.TrueAsync(async () => (await worker.StatusAsync()).GetProperty("entities").EnumerateArray()
            .Single(e => e.GetProperty("entity").GetString() == Entity).GetProperty("status").GetString() == "Streaming",
            TimeSpan.FromSeconds(60), "the next cycle swaps");
        (await worker.StatusAsync()).GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entity").GetString() == Entity)
            .GetProperty("reseedBlockedBy").GetArrayLength().Should().Be(0);
        (await worker.GetAsync("metrics")).Body.Should().NotContain("analyst_policy", "nothing blocks any more");
        await AssertAnalystObjectsKeptAsync();
        (await ViewRowsAsync())[changed].Should().Be(Simulator.Store.Snapshot(Entity).Single(r => r.Id == changed)["dfeta_trn"] is { } trn
            ? Convert.ToInt32(trn, System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    /// <summary>What the status page shows, in Debian's headless Chromium, as the blocker of contact's re-seed.</summary>
    private async Task<string> StatusPageBlockerAsync(Uri baseUrl)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(baseUrl.ToString());
        var blocker = page.Locator("#entities tbody tr[data-entity='contact'] [data-field=blocker]");
        await Assertions.Expect(blocker).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });
        (await page.Locator("#entities tbody tr[data-entity='contact'] [data-field=waiting]").InnerTextAsync()).Should().Be("swap waits");
        var text = await blocker.InnerTextAsync();
        Output.WriteLine($"status page: {text}");
        return text;
    }

    /// <summary>The JSON array <c>status --json</c> prints (its log lines on stderr come in the same output here).</summary>
    private static JsonElement JsonOutput(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var json = string.Join('\n', lines.Skip(lines.IndexOf("[")).Take(lines.LastIndexOf("]") - lines.IndexOf("[") + 1));
        return JsonDocument.Parse(json).RootElement;
    }
}
