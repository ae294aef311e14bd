using System.Net;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

/// <summary>
/// Yomi (phonetic) names as Dataverse holds them (issue 18.9): only where someone typed one, composed like the display
/// name, never a copy of it; and a lookup's <c>…yominame</c> is no Web API property.
/// </summary>
public sealed class YomiNameTests : SimulatorTests
{

    private protected override void Configure(SimulatorOptions options) => options.RowCounts["contact"] = 2000;

    [Fact]
    public void Few_people_have_yomi_names_and_the_full_one_is_made_of_the_parts_not_the_display_name()
    {
        var contacts = Host.Store.Snapshot("contact");
        var withYomi = contacts.Where(c => c["yomifullname"] is not null).ToList();

        withYomi.Count.Should().BeInRange(40, 200, "about 5% of 2000 people have yomi names");
        withYomi.Should().OnlyContain(c => (string)c["yomifullname"]! == $"{c["yomifirstname"]} {c["yomilastname"]}");
        withYomi.Should().OnlyContain(c => !Equals(c["yomifullname"], c["fullname"]));
        contacts.Where(c => c["yomifullname"] is null)
            .Should().OnlyContain(c => c["yomifirstname"] == null && c["yomilastname"] == null && c["yomimiddlename"] == null);
        Host.Store.Snapshot("account").Should().OnlyContain(a => a["yominame"] == null);
    }

    [Fact]
    public void Changing_a_yomi_part_recomputes_the_yomi_full_name()
    {
        var id = Host.Store.Snapshot("contact")[0].Id;

        Host.Store.Update("contact", id, new Dictionary<string, object?> { ["yomifirstname"] = "ハナコ", ["yomilastname"] = "ヤマダ" });

        Host.Store.Get("contact", id)!["yomifullname"].Should().Be("ハナコ ヤマダ");
    }

    [Fact]
    public async Task A_lookups_yomi_name_is_not_a_Web_API_property()
    {
        var (response, body) = await Client.GetJsonAsync("contacts?$select=owneridyominame");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Message.Should().Be("Could not find a property named 'owneridyominame' on type 'Microsoft.Dynamics.CRM.contact'.");
    }
}
