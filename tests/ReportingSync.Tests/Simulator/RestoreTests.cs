using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

/// <summary>
/// Restore from the recycle bin (issue 18.1): Dataverse restores a deleted record with its id, and one delta read lists
/// new/updated items first, sorted by version, and deleted items last, so a record deleted and restored between two
/// reads comes back as both. The client then sees the upsert before the delete, across pages too.
/// </summary>
public sealed class RestoreTests : SimulatorTests
{
    private const string Tracking = "odata.track-changes,odata.maxpagesize=50";

    private protected override void Configure(SimulatorOptions options) => options.TimeProvider = Clock;

    [Fact]
    public async Task A_restored_row_keeps_its_id_and_values_and_takes_a_new_version()
    {
        var row = Host.Store.Snapshot("contact")[7];
        Host.Store.Update("contact", row.Id, new Dictionary<string, object?> { ["jobtitle"] = "Head of Science" });
        var deletedAt = Host.Store.Delete("contact", row.Id);
        Clock.Advance(TimeSpan.FromMinutes(3));

        var response = await Admin.PostAsync($"/admin/rows/contact/{row.Id}/restore", null);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("id").GetGuid().Should().Be(row.Id);
        var restored = Host.Store.Get("contact", row.Id)!;
        restored.Version.Should().Be(body.GetProperty("version").GetInt64()).And.BeGreaterThan(deletedAt);
        restored["jobtitle"].Should().Be("Head of Science");
        restored["fullname"].Should().Be(row["fullname"]);
        restored["modifiedon"].Should().Be(Clock.GetUtcNow().UtcDateTime);
        Host.Store.Count("contact").Should().Be(120);
    }

    [Fact]
    public async Task Restore_refuses_a_live_row_and_a_row_that_was_never_deleted()
    {
        var live = Host.Store.Snapshot("contact")[0].Id;

        (await Admin.PostAsync($"/admin/rows/contact/{live}/restore", null)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Admin.PostAsync($"/admin/rows/contact/{Guid.NewGuid()}/restore", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_row_deleted_and_restored_between_two_reads_comes_back_as_an_upsert_and_last_as_a_delete()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname,versionnumber");
        var rows = Host.Store.Snapshot("contact");
        Host.Store.Delete("contact", rows[4].Id);
        Host.Store.Update("contact", rows[8].Id, new Dictionary<string, object?> { ["firstname"] = "Later" });
        (await Admin.PostAsync($"/admin/rows/contact/{rows[4].Id}/restore", null)).EnsureSuccessStatusCode();

        var values = (await Client.GetOkAsync(deltaLink, Tracking)).Values().ToList();

        values.Select(Describe).Should().Equal(
            $"upsert {rows[8].Id}", $"upsert {rows[4].Id}", $"delete {rows[4].Id}");
        values[0].GetProperty("versionnumber").GetInt64().Should().BeLessThan(values[1].GetProperty("versionnumber").GetInt64());
    }

    [Fact]
    public async Task The_delete_of_a_restored_row_comes_after_every_upsert_even_on_a_later_page()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        var rows = Host.Store.Snapshot("contact");
        Host.Store.Delete("contact", rows[20].Id);
        Host.Store.Restore("contact", rows[20].Id);
        Host.Store.Delete("contact", rows[30].Id);
        foreach (var row in rows.Take(3))
        {
            Host.Store.Update("contact", row.Id, new Dictionary<string, object?> { ["middlename"] = "M" });
        }

        var pages = await Client.ReadAllPagesAsync(deltaLink, "odata.track-changes,odata.maxpagesize=2");

        pages.Select(p => p.Values().Select(Describe).ToList()).Should().BeEquivalentTo(
            new[]
            {
                new[] { $"upsert {rows[20].Id}", $"upsert {rows[0].Id}" },
                [$"upsert {rows[1].Id}", $"upsert {rows[2].Id}"],
                [$"delete {rows[20].Id}", $"delete {rows[30].Id}"],
            },
            o => o.WithStrictOrdering(),
            "deletes come last in the read, sorted by the version of the delete");
        pages[^1].Str("@odata.deltaLink").Should().NotBeNull();
    }

    [Fact]
    public async Task A_row_restored_then_deleted_again_is_only_a_delete()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        var id = Host.Store.Snapshot("contact")[11].Id;
        Host.Store.Delete("contact", id);
        Host.Store.Restore("contact", id);
        Host.Store.Delete("contact", id);

        var values = (await Client.GetOkAsync(deltaLink, Tracking)).Values().ToList();

        values.Select(Describe).Should().Equal($"delete {id}");
    }

    private static string Describe(JsonElement item) =>
        item.Str("reason") == "deleted" ? $"delete {item.Str("id")}" : $"upsert {item.Str("contactid")}";

    private async Task<string> DeltaLinkAsync(string url)
    {
        var pages = await Client.ReadAllPagesAsync(url, Tracking);
        return pages[^1].Str("@odata.deltaLink")!;
    }
}
