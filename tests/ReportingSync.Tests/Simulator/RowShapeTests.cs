using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

public sealed partial class RowShapeTests : IAsyncLifetime
{
    private const string AllAnnotations = "odata.include-annotations=\"*\"";
    private SimulatorHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SimulatorFactory.StartAsync(o => o.RowCounts["contact"] = 2000);
        _client = SimulatorFactory.Client(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Every_selected_attribute_is_present_with_the_etag_and_primary_id()
    {
        var body = await _client.GetOkAsync("contacts?$select=fullname,middlename,versionnumber&$top=20");
        foreach (var row in body.Values())
        {
            row.EnumerateObject().Select(p => p.Name).Should().Equal("@odata.etag", "fullname", "middlename", "versionnumber", "contactid");
            row.Str("@odata.etag").Should().Be($"W/\"{row.GetProperty("versionnumber").GetInt64()}\"");
        }

        body.Values().Should().Contain(r => r.GetProperty("middlename").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Values_have_the_wire_types_Dataverse_uses()
    {
        var pages = await _client.ReadAllPagesAsync(
            "contacts?$select=birthdate,createdon,creditlimit,creditlimit_base,exchangerate,address1_latitude,donotemail,gendercode,numberofchildren,versionnumber");
        var rows = pages.SelectMany(p => p.Values()).ToList();
        rows.Should().HaveCount(2000);
        var raw = JsonSerializer.Serialize(pages[0]);

        rows.Select(r => r.Str("birthdate")).OfType<string>().Should().OnlyContain(d => DateOnlyPattern().IsMatch(d));
        rows.Select(r => r.Str("createdon")!).Should().OnlyContain(d => InstantPattern().IsMatch(d));
        // Money with the 4 places Dataverse stores and writes ("revenue": 20000.0000), whatever its Precision (2 here).
        rows.Where(r => r.GetProperty("creditlimit").ValueKind == JsonValueKind.Number)
            .Should().OnlyContain(r => DecimalsOf(r.GetProperty("creditlimit")) == 4);
        rows.Where(r => r.GetProperty("creditlimit_base").ValueKind == JsonValueKind.Number)
            .Should().OnlyContain(r => DecimalsOf(r.GetProperty("creditlimit_base")) == 4);
        rows.Where(r => r.GetProperty("exchangerate").ValueKind == JsonValueKind.Number)
            .Should().OnlyContain(r => DecimalsOf(r.GetProperty("exchangerate")) == 10);
        rows.Where(r => r.GetProperty("donotemail").ValueKind != JsonValueKind.Null)
            .Should().OnlyContain(r => r.GetProperty("donotemail").ValueKind == JsonValueKind.True || r.GetProperty("donotemail").ValueKind == JsonValueKind.False);
        rows.Select(r => r.GetProperty("gendercode")).Where(g => g.ValueKind == JsonValueKind.Number)
            .Should().OnlyContain(g => new[] { 1, 2, 389040000 }.Contains(g.GetInt32()));
        rows.Should().OnlyContain(r => r.GetProperty("versionnumber").ValueKind == JsonValueKind.Number);
        raw.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Optional_columns_are_mostly_null_and_strings_fit_their_max_length()
    {
        var metadata = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength,AttributeOf,IsValidForRead");
        var maxLengths = metadata.Values()
            .Where(a => a.GetProperty("AttributeOf").ValueKind == JsonValueKind.Null && a.GetProperty("IsValidForRead").GetBoolean())
            .ToDictionary(a => a.Str("LogicalName")!, a => a.GetProperty("MaxLength").GetInt32());
        var page = await _client.GetOkAsync("contacts?$select=" + string.Join(',', maxLengths.Keys));

        var nulls = 0;
        var cells = 0;
        foreach (var row in page.Values())
        {
            foreach (var (name, max) in maxLengths)
            {
                cells++;
                var value = row.GetProperty(name);
                if (value.ValueKind == JsonValueKind.Null)
                {
                    nulls++;
                }
                else
                {
                    value.GetString()!.Length.Should().BeLessThanOrEqualTo(max, name);
                }
            }
        }

        ((double)nulls / cells).Should().BeInRange(0.55, 0.85);
    }

    [Fact]
    public async Task Some_strings_carry_quotes_semicolons_brackets_emoji_and_right_to_left_text()
    {
        var pages = await _client.ReadAllPagesAsync("contacts?$select=description,jobtitle,department,address1_line2,address1_line3,lastname,spousesname,assistantname");
        var text = string.Join("\n", pages.SelectMany(p => p.Values()).SelectMany(r => r.EnumerateObject())
            .Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()));
        text.Should().Contain("'").And.Contain("\"").And.Contain(";").And.Contain("]");
        text.Should().MatchRegex(@"\p{Cs}");
        text.Should().MatchRegex(@"[\u0590-\u06FF]");
    }

    [Fact]
    public async Task Lookups_come_as_value_properties_with_their_annotations()
    {
        var body = await _client.GetOkAsync("dfeta_inductions?$select=_dfeta_personid_value,_ownerid_value,_createdby_value&$top=10", AllAnnotations);
        var contacts = _host.Store.Snapshot("contact").ToDictionary(r => r.Id);
        foreach (var row in body.Values())
        {
            var names = row.EnumerateObject().Select(p => p.Name).ToList();
            names.IndexOf("_dfeta_personid_value@OData.Community.Display.V1.FormattedValue").Should().BeLessThan(names.IndexOf("_dfeta_personid_value"));
            var person = Guid.Parse(row.Str("_dfeta_personid_value")!);
            contacts.Should().ContainKey(person, "a lookup to a served table points at a row that exists");
            row.Str("_dfeta_personid_value@OData.Community.Display.V1.FormattedValue").Should().Be((string?)contacts[person]["fullname"]);
            row.Str("_dfeta_personid_value@Microsoft.Dynamics.CRM.lookuplogicalname").Should().Be("contact");
            row.Str("_dfeta_personid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").Should().Be("dfeta_personid");
            row.Str("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").Should().BeOneOf("systemuser", "team");
        }
    }

    [Fact]
    public async Task Only_the_requested_annotations_are_written()
    {
        var body = await _client.GetOkAsync("dfeta_inductions?$select=_dfeta_personid_value,statuscode&$top=3",
            "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"");
        var names = body.Values().First().EnumerateObject().Select(p => p.Name).ToList();
        names.Should().Contain("_dfeta_personid_value@Microsoft.Dynamics.CRM.lookuplogicalname");
        names.Should().NotContain(n => n.EndsWith("FormattedValue", StringComparison.Ordinal) || n.EndsWith("associatednavigationproperty", StringComparison.Ordinal));

        var plain = await _client.GetOkAsync("dfeta_inductions?$select=_dfeta_personid_value,statuscode&$top=3");
        plain.Values().First().EnumerateObject().Select(p => p.Name).Should().Equal("@odata.etag", "_dfeta_personid_value", "statuscode", "dfeta_inductionid");
    }

    [Fact]
    public async Task Formatted_values_for_choices_money_dates_and_booleans()
    {
        var id = _host.Store.Create("contact", new Dictionary<string, object?>
        {
            ["firstname"] = "Ada",
            ["lastname"] = "Lovelace",
            ["gendercode"] = 2,
            ["creditlimit"] = 20000m,
            ["birthdate"] = new DateOnly(1815, 12, 10),
            ["donotemail"] = true,
            ["lastusedincampaign"] = new DateTime(2023, 4, 7, 21, 59, 1, DateTimeKind.Utc),
        });

        var row = await _client.GetOkAsync($"contacts({id})?$select=fullname,gendercode,creditlimit,birthdate,donotemail,lastusedincampaign", AllAnnotations);

        row.Str("fullname").Should().Be("Ada Lovelace");
        row.Str("gendercode@OData.Community.Display.V1.FormattedValue").Should().Be("Female");
        row.GetProperty("creditlimit").GetRawText().Should().Be("20000.0000");
        row.Str("creditlimit@OData.Community.Display.V1.FormattedValue").Should().Be("£20,000.00");
        row.Str("birthdate").Should().Be("1815-12-10");
        row.Str("donotemail@OData.Community.Display.V1.FormattedValue").Should().Be("Yes");
        row.Str("lastusedincampaign").Should().Be("2023-04-07T21:59:01Z");
        row.Str("lastusedincampaign@OData.Community.Display.V1.FormattedValue").Should().Be("4/7/2023 9:59 PM");
    }

    [Fact]
    public async Task A_multi_select_choice_added_through_the_admin_api_reads_as_a_comma_list()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        var add = await admin.PostAsJsonAsync("/admin/schema/contact/attributes", new
        {
            attribute = new
            {
                logicalName = "dfeta_subjects",
                type = "Virtual",
                multiSelect = true,
                options = new[] { new { value = 1, label = "Maths" }, new { value = 2, label = "Physics" }, new { value = 3, label = "Art" } },
            },
            fillExistingRows = true,
        });
        add.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await add.Content.ReadAsStringAsync());

        var metadata = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='dfeta_subjects')?$select=AttributeType,AttributeTypeName");
        metadata.Str("AttributeType").Should().Be("Virtual");
        metadata.GetProperty("AttributeTypeName").GetProperty("Value").GetString().Should().Be("MultiSelectPicklistType");
        metadata.Str("@odata.type").Should().Be("#Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata");
        var options = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet");
        options.Values().Single().GetProperty("OptionSet").GetProperty("Options").GetArrayLength().Should().Be(3);

        var page = await _client.GetOkAsync("contacts?$select=dfeta_subjects", AllAnnotations);
        var values = page.Values().Select(r => r.Str("dfeta_subjects")).OfType<string>().ToList();
        values.Should().NotBeEmpty().And.OnlyContain(v => MultiSelectPattern().IsMatch(v));
        var sample = page.Values().First(r => r.Str("dfeta_subjects") is not null);
        sample.Str("dfeta_subjects@OData.Community.Display.V1.FormattedValue").Should().MatchRegex("^(Maths|Physics|Art)(; (Maths|Physics|Art))*$");
    }

    [Fact]
    public async Task Rows_match_the_store_snapshot_types()
    {
        var row = _host.Store.Snapshot("contact")[7];
        row["createdon"].Should().BeOfType<DateTime>().Which.Kind.Should().Be(DateTimeKind.Utc);
        if (row["birthdate"] is { } birth)
        {
            birth.Should().BeOfType<DateOnly>();
        }

        row["ownerid"].Should().BeOfType<LookupValue>().Which.Name.Should().NotBeNull();
        row.Version.Should().BeGreaterThan(0);
        var body = await _client.GetOkAsync($"contacts({row.Id})?$select=versionnumber,_ownerid_value");
        body.GetProperty("versionnumber").GetInt64().Should().Be(row.Version);
        body.Str("_ownerid_value").Should().Be(((LookupValue)row["ownerid"]!).Id.ToString());
    }

    private static int DecimalsOf(JsonElement number)
    {
        var text = number.GetRawText();
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? 0 : text.Length - dot - 1;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateOnlyPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex InstantPattern();

    [GeneratedRegex(@"^[123](,[123])*$")]
    private static partial Regex MultiSelectPattern();
}
