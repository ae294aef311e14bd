using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Store;
using ReportingSync.Tests.Simulator.Support;
using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.Tests.Simulator;

public sealed class StoreAndSchemaTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero));
    private SimulatorHost _host = null!;
    private HttpClient _client = null!;

    private SimulatorStore Store => _host.Store;

    public async Task InitializeAsync()
    {
        _host = await SimulatorFactory.StartAsync(o => o.TimeProvider = _clock);
        _client = SimulatorFactory.Client(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public void Generated_rows_hold_versions_one_to_n_and_every_change_takes_the_next_version()
    {
        var all = Store.Entities.SelectMany(e => Store.Snapshot(e.LogicalName)).Select(r => r.Version).ToList();
        all.Should().BeEquivalentTo(Enumerable.Range(1, all.Count).Select(v => (long)v));
        Store.CurrentVersion.Should().Be(all.Count);

        var row = Store.Snapshot("contact")[0];
        var created = Store.Create("contact", new Dictionary<string, object?> { ["lastname"] = "New" });
        var updated = Store.Update("contact", row.Id, new Dictionary<string, object?> { ["lastname"] = "Changed" });
        var deleted = Store.Delete("contact", created);

        Store.Get("contact", created).Should().BeNull();
        updated.Should().Be(all.Count + 2);
        deleted.Should().Be(all.Count + 3);
        Store.ChangesSince(all.Count).Select(c => (c.Kind, c.Version)).Should().Equal(
            (ChangeKind.Create, all.Count + 1), (ChangeKind.Update, all.Count + 2), (ChangeKind.Delete, all.Count + 3));
        Store.Count("contact").Should().Be(120);
    }

    [Fact]
    public void Changes_stamp_modifiedon_from_the_simulator_clock()
    {
        var row = Store.Snapshot("contact")[3];
        _clock.Advance(TimeSpan.FromMinutes(5));
        Store.Update("contact", row.Id, new Dictionary<string, object?> { ["middlename"] = "X" });

        var after = Store.Get("contact", row.Id)!;
        after["modifiedon"].Should().Be(new DateTime(2025, 3, 14, 9, 35, 0, DateTimeKind.Utc));
        after["createdon"].Should().Be(row["createdon"]);
        after["middlename"].Should().Be("X");
        after["fullname"].Should().Be(row["fullname"]);
    }

    [Fact]
    public void Writes_are_validated_against_the_metadata()
    {
        var id = Store.Snapshot("contact")[0].Id;
        var tooLong = () => Store.Update("contact", id, new Dictionary<string, object?> { ["dfeta_ninumber"] = "AB1234567890" });
        var badOption = () => Store.Update("contact", id, new Dictionary<string, object?> { ["gendercode"] = 99 });
        var derived = () => Store.Update("contact", id, new Dictionary<string, object?> { ["parentcustomeridname"] = "x" });
        var missing = () => Store.Update("contact", Guid.NewGuid(), new Dictionary<string, object?> { ["lastname"] = "x" });

        tooLong.Should().Throw<ArgumentException>();
        badOption.Should().Throw<ArgumentException>();
        derived.Should().Throw<ArgumentException>();
        missing.Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public async Task Adding_an_attribute_with_and_without_values_for_existing_rows()
    {
        var before = Store.MetadataVersion;
        Store.AddAttribute("contact", new AttributeSpec { LogicalName = "dfeta_filled", Type = AttributeType.String, MaxLength = 40 }, fillExistingRows: true);
        Store.AddAttribute("contact", new AttributeSpec { LogicalName = "dfeta_empty", Type = AttributeType.Integer }, fillExistingRows: false);

        Store.MetadataVersion.Should().Be(before + 2);
        var rows = (await _client.ReadAllPagesAsync("contacts?$select=dfeta_filled,dfeta_empty")).SelectMany(p => p.Values()).ToList();
        rows.Should().Contain(r => r.Str("dfeta_filled") != null);
        rows.Should().OnlyContain(r => r.GetProperty("dfeta_empty").ValueKind == System.Text.Json.JsonValueKind.Null);
        var metadata = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='dfeta_filled')/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=MaxLength");
        metadata.GetProperty("MaxLength").GetInt32().Should().Be(40);
    }

    [Fact]
    public async Task Altering_a_string_to_an_integer_converts_values()
    {
        var ids = Store.Snapshot("account").Take(2).Select(r => r.Id).ToList();
        Store.Update("account", ids[0], new Dictionary<string, object?> { ["accountnumber"] = "12345" });
        Store.Update("account", ids[1], new Dictionary<string, object?> { ["accountnumber"] = "ACC-1" });

        Store.AlterAttribute("account", "accountnumber", new AttributeAlteration { Type = AttributeType.Integer });

        Store.Get("account", ids[0])!["accountnumber"].Should().Be(12345);
        Store.Get("account", ids[1])!["accountnumber"].Should().BeNull();
        var metadata = await _client.GetOkAsync("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='accountnumber')?$select=AttributeType");
        metadata.Str("AttributeType").Should().Be("Integer");
        var page = await _client.GetOkAsync("accounts?$select=accountnumber");
        page.Values().Select(v => v.GetProperty("accountnumber").ValueKind)
            .Should().OnlyContain(k => k == System.Text.Json.JsonValueKind.Number || k == System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Widening_and_precision_changes_show_in_metadata()
    {
        Store.AlterAttribute("contact", "dfeta_ninumber", new AttributeAlteration { MaxLength = 20 });
        Store.AlterAttribute("contact", "creditlimit", new AttributeAlteration { Precision = 4 });

        (await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='dfeta_ninumber')/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=MaxLength"))
            .GetProperty("MaxLength").GetInt32().Should().Be(20);
        var page = await _client.GetOkAsync("contacts?$select=creditlimit");
        page.Values().Select(v => v.GetProperty("creditlimit")).Where(v => v.ValueKind == System.Text.Json.JsonValueKind.Number)
            .Should().OnlyContain(v => v.GetRawText().Split('.', StringSplitOptions.None)[1].Length == 4);
    }

    [Fact]
    public async Task Removing_an_attribute_removes_its_derived_attributes_too()
    {
        Store.RemoveAttribute("contact", "parentcustomerid");

        var (response, _) = await _client.GetJsonAsync("contacts?$select=_parentcustomerid_value");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        Store.FindEntity("contact")!.Attributes.Should().NotContain(a => a.AttributeOf == "parentcustomerid");
    }

    [Fact]
    public async Task Option_labels_can_be_renamed_and_options_added()
    {
        Store.RenameOptionLabel("contact", "gendercode", 1, "Man");
        Store.AddOption("contact", "gendercode", 389040001, "Prefer not to say");
        Store.RenameOptionLabel("dfeta_induction", "dfeta_inductionstatus", 389040004, "Passed");

        var gender = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='gendercode')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$expand=OptionSet");
        gender.GetProperty("OptionSet").GetProperty("Options").EnumerateArray()
            .Select(o => o.GetProperty("Label").GetProperty("UserLocalizedLabel").Str("Label"))
            .Should().Equal("Man", "Female", "Other", "Prefer not to say");
        var global = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='dfeta_inductionstatus')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$expand=GlobalOptionSet");
        global.GetProperty("GlobalOptionSet").GetProperty("Options").EnumerateArray()
            .Should().Contain(o => o.GetProperty("Label").GetProperty("UserLocalizedLabel").Str("Label") == "Passed",
                "a global option set change shows on every table that uses it");
    }

    [Fact]
    public async Task Removing_a_table_makes_it_disappear()
    {
        Store.RemoveEntity("dfeta_qtsregistration");

        (await _client.GetAsync("dfeta_qtsregistrations")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        (await _client.GetAsync("EntityDefinitions(LogicalName='dfeta_qtsregistration')")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }
}
