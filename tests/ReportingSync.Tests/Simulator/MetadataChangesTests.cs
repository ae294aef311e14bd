using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

/// <summary>
/// <c>RetrieveMetadataChanges</c> as Microsoft documents it (issue 15.3): one request answers which of several tables
/// changed since a <c>ClientVersionStamp</c>, with a new <c>ServerVersionStamp</c>; schema changes made through the admin
/// API move the stamp; an old or expired stamp fails with ExpiredVersionStamp 0x80044352.
/// </summary>
public sealed partial class MetadataChangesTests : SimulatorTests
{
    private const string Query = """
        {"Criteria":{"FilterOperator":"Or","Conditions":[
          {"ConditionOperator":"Equals","PropertyName":"LogicalName","Value":{"Type":"System.String","Value":"contact"}},
          {"ConditionOperator":"Equals","PropertyName":"LogicalName","Value":{"Type":"System.String","Value":"account"}}]},
         "Properties":{"AllProperties":false,"PropertyNames":["SchemaName","Attributes"]},
         "AttributeQuery":{"Properties":{"AllProperties":false,"PropertyNames":["AttributeType"]}},
         "LabelQuery":{"FilterLanguages":[1033],"MissingLabelBehavior":0}}
        """;


    private protected override void Configure(SimulatorOptions options) => options.TimeProvider = Clock;

    [Fact]
    public async Task Without_a_stamp_the_query_is_answered_in_full_with_a_server_version_stamp()
    {
        var body = await Client.GetOkAsync(Url(Query));

        body.Str("@odata.context").Should().EndWith("/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.RetrieveMetadataChangesResponse");
        body.Str("ServerVersionStamp").Should().MatchRegex(@"^\d+!03/14/2025 09:30:00$");
        var entities = body.GetProperty("EntityMetadata").EnumerateArray().ToList();
        entities.Select(e => e.Str("LogicalName")).Should().BeEquivalentTo("account", "contact");
        var contact = entities.Single(e => e.Str("LogicalName") == "contact");
        contact.Str("SchemaName").Should().Be("Contact");
        contact.GetProperty("HasChanged").ValueKind.Should().Be(JsonValueKind.Null);
        contact.GetProperty("Attributes").GetArrayLength().Should().Be(Host.Store.FindEntity("contact")!.Attributes.Length);
        var fullName = contact.GetProperty("Attributes").EnumerateArray().Single(a => a.Str("LogicalName") == "fullname");
        fullName.Str("@odata.type").Should().Be("#Microsoft.Dynamics.CRM.ComplexStringAttributeMetadata");
        fullName.Str("AttributeType").Should().Be("String");
        fullName.TryGetProperty("MaxLength", out _).Should().BeFalse("only the properties asked for come");
        body.GetProperty("DeletedMetadata").GetProperty("Count").GetInt32().Should().Be(0);
        Host.RequestLog.Query(kind: RequestKind.Metadata).Should().ContainSingle();
    }

    [Fact]
    public async Task After_a_stamp_only_the_tables_and_columns_changed_through_theAdmin_API_come_back()
    {
        var stamp = (await Client.GetOkAsync(Url(Query))).Str("ServerVersionStamp")!;
        var added = await Admin.PostAsJsonAsync("/admin/schema/contact/attributes",
            new { attribute = new { logicalName = "dfeta_mentorname", type = "String", maxLength = 120 }, fillExistingRows = false });
        added.StatusCode.Should().Be(HttpStatusCode.Created);
        (await Admin.PatchAsJsonAsync("/admin/schema/contact/attributes/jobtitle", new { maxLength = 300 })).EnsureSuccessStatusCode();
        Host.Store.SetChangeTracking("systemuser", false);

        var body = await Client.GetOkAsync(Url(Query, stamp));

        var contact = body.GetProperty("EntityMetadata").EnumerateArray().Should().ContainSingle().Subject;
        contact.Str("LogicalName").Should().Be("contact");
        contact.GetProperty("HasChanged").GetBoolean().Should().BeFalse("the table itself did not change, two of its columns did");
        contact.GetProperty("Attributes").EnumerateArray().Select(a => (a.Str("LogicalName"), a.GetProperty("HasChanged").GetBoolean()))
            .Should().BeEquivalentTo([("dfeta_mentorname", true), ("jobtitle", true)]);
        body.Str("ServerVersionStamp").Should().NotBe(stamp);
    }

    [Fact]
    public async Task Label_changes_and_table_changes_move_the_stamp_too()
    {
        var stamp = (await Client.GetOkAsync(Url(Query))).Str("ServerVersionStamp")!;
        var gender = Host.Store.FindEntity("contact")!.Find("gendercode")!;
        (await Admin.PutAsJsonAsync($"/admin/schema/contact/attributes/gendercode/options/{gender.OptionSet!.Options[0].Value}", new { label = "Renamed" }))
            .EnsureSuccessStatusCode();
        Host.Store.SetChangeTracking("account", false);

        var body = await Client.GetOkAsync(Url(Query, stamp));

        var byName = body.GetProperty("EntityMetadata").EnumerateArray().ToDictionary(e => e.Str("LogicalName")!);
        byName["contact"].GetProperty("Attributes").EnumerateArray().Select(a => a.Str("LogicalName")).Should().Equal("gendercode");
        byName["account"].GetProperty("HasChanged").GetBoolean().Should().BeTrue();
        byName["account"].GetProperty("Attributes").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Removed_columns_come_back_as_deleted_metadata_ids_and_no_changes_as_an_empty_answer()
    {
        var stamp = (await Client.GetOkAsync(Url(Query))).Str("ServerVersionStamp")!;
        var removed = Host.Store.FindEntity("account")!.Find("websiteurl")!.MetadataId;
        (await Admin.DeleteAsync("/admin/schema/account/attributes/websiteurl")).EnsureSuccessStatusCode();

        var body = await Client.GetOkAsync(Url(Query, stamp, "All"));

        var deleted = body.GetProperty("DeletedMetadata");
        deleted.GetProperty("Keys").EnumerateArray().Select(k => k.GetString()).Should().Equal("Attribute");
        deleted.GetProperty("Values")[0].EnumerateArray().Select(v => v.GetGuid()).Should().Equal(removed);
        var next = body.Str("ServerVersionStamp")!;

        var quiet = await Client.GetOkAsync(Url(Query, next, "All"));
        quiet.GetProperty("EntityMetadata").GetArrayLength().Should().Be(0);
        quiet.GetProperty("DeletedMetadata").GetProperty("Count").GetInt32().Should().Be(0);
        quiet.Str("ServerVersionStamp").Should().Be(next, "nothing changed and the clock stood still");
    }

    [Fact]
    public async Task A_list_condition_and_a_form_encoded_query_as_in_Microsofts_samples_are_understood()
    {
        const string list = """{"Criteria":{"FilterOperator":"And","Conditions":[{"ConditionOperator":"In","PropertyName":"LogicalName","Value":{"Type":"System.String[]","Value":"['contact','dfeta_induction']"}}]},"Properties":{"AllProperties":false,"PropertyNames":["LogicalName"]}}""";

        var body = await Client.GetOkAsync("RetrieveMetadataChanges(Query=@p1)?@p1=" + System.Web.HttpUtility.UrlEncode(list));

        body.GetProperty("EntityMetadata").EnumerateArray().Select(e => e.Str("LogicalName")).Should().BeEquivalentTo("contact", "dfeta_induction");
        body.GetProperty("EntityMetadata")[0].TryGetProperty("Attributes", out _).Should().BeFalse();
    }

    [Fact]
    public async Task A_stamp_older_than_retention_or_expired_by_theAdmin_is_ExpiredVersionStamp()
    {
        var old = (await Client.GetOkAsync(Url(Query))).Str("ServerVersionStamp")!;
        Clock.Advance(TimeSpan.FromDays(90) + TimeSpan.FromSeconds(1));

        var (response, body) = await Client.GetJsonAsync(Url(Query, old));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Should().Be(("0x80044352", "Version stamp associated with the client has expired. Please perform a full sync."));

        var fresh = (await Client.GetOkAsync(Url(Query))).Str("ServerVersionStamp")!;
        (await Admin.PutAsJsonAsync("/admin/metadata/stamps", new { expireAll = true })).EnsureSuccessStatusCode();
        (await Client.GetJsonAsync(Url(Query, fresh))).Body.Error().Code.Should().Be("0x80044352");
        var afterwards = (await Client.GetOkAsync(Url(Query))).Str("ServerVersionStamp")!;
        await Client.GetOkAsync(Url(Query, afterwards));
    }

    [Theory]
    [InlineData("not a stamp", "0x80040203")]
    [InlineData("99999!03/14/2025 09:30:00", "0x80044352")]
    public async Task A_stamp_this_organisation_never_issued_is_refused(string stamp, string code)
    {
        var (response, body) = await Client.GetJsonAsync(Url(Query, stamp));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Code.Should().Be(code);
    }

    [Fact]
    public async Task The_request_log_counts_requests_per_window_by_kind()
    {
        await Client.GetOkAsync(Url(Query));
        await Client.GetOkAsync("accounts?$select=name");
        await Client.GetOkAsync("accounts?$select=name");
        await Admin.GetAsync("/admin/status");

        var busiest = Host.RequestLog.BusiestWindow(TimeSpan.FromMinutes(5));

        busiest.Total.Should().Be(3, "the admin API is not Web API traffic");
        busiest.ByKind.Should().BeEquivalentTo(new Dictionary<RequestKind, int> { [RequestKind.Metadata] = 1, [RequestKind.Query] = 2 });
        var overHttp = await Admin.GetFromJsonAsync<JsonElement>("/admin/requests/busiest?windowSeconds=300");
        overHttp.GetProperty("total").GetInt32().Should().Be(3);
    }

    private static string Url(string query, string? stamp = null, string? deleted = null)
    {
        var compact = WhiteSpace().Replace(query, string.Empty);
        var parameters = new List<string> { "Query=@p1" };
        var values = new List<string> { "@p1=" + Uri.EscapeDataString(compact) };
        if (stamp is not null)
        {
            parameters.Add("ClientVersionStamp=@p2");
            values.Add("@p2=" + Uri.EscapeDataString($"'{stamp}'"));
        }

        if (deleted is not null)
        {
            parameters.Add("DeletedMetadataFilters=@p3");
            values.Add($"@p3=Microsoft.Dynamics.CRM.DeletedMetadataFilters'{deleted}'");
        }

        return $"RetrieveMetadataChanges({string.Join(',', parameters)})?{string.Join('&', values)}";
    }

    [GeneratedRegex(@"\s+(?=(?:[^""]*""[^""]*"")*[^""]*$)")]
    private static partial Regex WhiteSpace();
}
