using System.Data.SqlTypes;
using System.Net;
using System.Text.RegularExpressions;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Tests.Simulator.Support;
using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.Tests.Simulator;

public sealed partial class ChangeTrackingTests : IAsyncLifetime
{
    private const string Tracking = "odata.track-changes,odata.maxpagesize=50";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero));
    private SimulatorHost _host = null!;
    private HttpClient _client = null!;

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
    public async Task Initial_read_returns_every_row_once_in_SQL_Server_guid_order_then_a_delta_link()
    {
        var pages = await _client.ReadAllPagesAsync("contacts?$select=fullname,versionnumber", Tracking);

        pages.Should().HaveCount(3);
        pages.SkipLast(1).Should().AllSatisfy(p =>
        {
            p.TryGetProperty("@odata.nextLink", out _).Should().BeTrue();
            p.TryGetProperty("@odata.deltaLink", out _).Should().BeFalse();
        });
        pages[^1].TryGetProperty("@odata.deltaLink", out _).Should().BeTrue();
        var ids = pages.SelectMany(p => p.Values()).Select(r => Guid.Parse(r.Str("contactid")!)).ToList();
        ids.Should().HaveCount(120).And.OnlyHaveUniqueItems();
        ids.Should().BeInAscendingOrder(Comparer<Guid>.Create((a, b) => new SqlGuid(a).CompareTo(new SqlGuid(b))));
        _host.Store.Snapshot("contact").Select(r => r.Id).Should().Equal(ids);
    }

    [Fact]
    public async Task Links_have_the_real_formats()
    {
        var first = await _client.GetOkAsync("contacts?$select=fullname", Tracking);
        var next = first.Str("@odata.nextLink")!;
        next.Should().StartWith(_host.BaseUrl + "/api/data/v9.2/contacts?$select=fullname&$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253ccookie%2520page%253d%25221%2522");
        next.Should().MatchRegex(@"%253ccontactid%2520last%253d%2522%257b[0-9A-F-]{36}%257d%2522%2520first%253d%2522%257b[0-9A-F-]{36}%257d%2522");
        next.Should().EndWith("%22%20istracking=%22True%22%20/%3E");
        next.Should().NotContain("$skip=");

        var pages = await _client.ReadAllPagesAsync("contacts?$select=fullname", Tracking);
        var delta = pages[^1].Str("@odata.deltaLink")!;
        delta.Should().MatchRegex("^" + Regex.Escape(_host.BaseUrl) + @"/api/data/v9\.2/contacts\?\$select=fullname&\$deltatoken=\d+%21\d\d%2f\d\d%2f\d{4}%20\d\d%3a\d\d%3a\d\d$");
        delta.Should().EndWith("%2103%2f14%2f2025%2009%3a30%3a00");
    }

    [Fact]
    public async Task Preference_applied_echoes_the_combined_prefer_header()
    {
        var (response, _) = await _client.GetJsonAsync("contacts?$select=fullname",
            "odata.track-changes, odata.maxpagesize=10, odata.include-annotations=\"OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname\"");
        var applied = response.Headers.GetValues("Preference-Applied").Single();
        applied.Should().Contain("odata.track-changes").And.Contain("odata.maxpagesize=10")
            .And.Contain("odata.include-annotations=\"OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname\"");
    }

    [Fact]
    public async Task Delta_returns_updates_sorted_by_version_then_deletes()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname,firstname,versionnumber");
        var rows = _host.Store.Snapshot("contact");
        _host.Store.Update("contact", rows[5].Id, new Dictionary<string, object?> { ["firstname"] = "Second" });
        _host.Store.Update("contact", rows[2].Id, new Dictionary<string, object?> { ["firstname"] = "Third" });
        _host.Store.Delete("contact", rows[9].Id);
        _host.Store.Update("contact", rows[1].Id, new Dictionary<string, object?> { ["firstname"] = "Fourth" });
        _host.Store.Update("contact", rows[5].Id, new Dictionary<string, object?> { ["firstname"] = "Last" });

        var delta = await _client.GetOkAsync(deltaLink, Tracking);

        delta.Str("@odata.context").Should().Be(_host.BaseUrl + "/api/data/v9.2/$metadata#contacts(fullname,firstname,versionnumber)/$delta");
        var values = delta.Values().ToList();
        values.Select(v => v.Str("contactid") ?? v.Str("id")).Should().Equal(
            rows[2].Id.ToString(), rows[1].Id.ToString(), rows[5].Id.ToString(), rows[9].Id.ToString());
        values[2].Str("firstname").Should().Be("Last");
        values.Take(3).Select(v => v.GetProperty("versionnumber").GetInt64()).Should().BeInAscendingOrder();
        values[3].Str("@odata.context").Should().Be(_host.BaseUrl + "/api/data/v9.2/$metadata#contacts/$deletedEntity");
        values[3].Str("reason").Should().Be("deleted");
        delta.Str("@odata.deltaLink").Should().NotBe(deltaLink);
    }

    [Fact]
    public async Task A_row_created_and_deleted_since_the_token_comes_back_only_as_a_delete()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        var id = _host.Store.Create("contact", new Dictionary<string, object?> { ["firstname"] = "Brief", ["lastname"] = "Visit" });
        _host.Store.Delete("contact", id);

        var delta = await _client.GetOkAsync(deltaLink, Tracking);

        var only = delta.Values().Single();
        only.Str("id").Should().Be(id.ToString());
        only.Str("reason").Should().Be("deleted");
    }

    [Fact]
    public async Task No_changes_give_an_empty_page_and_a_new_delta_link()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        _clock.Advance(TimeSpan.FromMinutes(1));

        var delta = await _client.GetOkAsync(deltaLink, Tracking);

        delta.Values().Should().BeEmpty();
        delta.Str("@odata.deltaLink").Should().EndWith("%2103%2f14%2f2025%2009%3a31%3a00");
    }

    [Fact]
    public async Task Changes_made_during_the_initial_read_appear_in_the_first_delta()
    {
        var first = await _client.GetOkAsync("contacts?$select=fullname", Tracking);
        var seen = first.Values().Select(v => Guid.Parse(v.Str("contactid")!)).ToList();
        _host.Store.Update("contact", seen[0], new Dictionary<string, object?> { ["firstname"] = "Changed" });
        var created = _host.Store.Create("contact", new Dictionary<string, object?> { ["firstname"] = "During" });

        var rest = await _client.ReadAllPagesAsync(first.Str("@odata.nextLink")!, Tracking);
        var delta = await _client.GetOkAsync(rest[^1].Str("@odata.deltaLink")!, Tracking);

        delta.Values().Select(v => Guid.Parse(v.Str("contactid")!)).Should().Equal(seen[0], created);
    }

    [Fact]
    public async Task Delta_pages_with_next_links_and_a_final_delta_link()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        var rows = _host.Store.Snapshot("contact");
        foreach (var row in rows.Take(7))
        {
            _host.Store.Update("contact", row.Id, new Dictionary<string, object?> { ["middlename"] = "M" });
        }

        var pages = await _client.ReadAllPagesAsync(deltaLink, "odata.track-changes,odata.maxpagesize=3");

        pages.Should().HaveCount(3);
        pages[0].Str("@odata.nextLink").Should().Contain("$deltatoken=").And.Contain("$skiptoken=");
        pages.SelectMany(p => p.Values()).Should().HaveCount(7);
        pages[^1].Str("@odata.deltaLink").Should().NotBeNull();
    }

    [Fact]
    public async Task The_upper_bound_is_fixed_by_the_first_delta_page()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        var rows = _host.Store.Snapshot("contact");
        foreach (var row in rows.Take(4))
        {
            _host.Store.Update("contact", row.Id, new Dictionary<string, object?> { ["middlename"] = "M" });
        }

        var first = await _client.GetOkAsync(deltaLink, "odata.track-changes,odata.maxpagesize=2");
        _host.Store.Update("contact", rows[50].Id, new Dictionary<string, object?> { ["middlename"] = "Late" });
        var rest = await _client.ReadAllPagesAsync(first.Str("@odata.nextLink")!, "odata.track-changes,odata.maxpagesize=2");

        rest.SelectMany(p => p.Values()).Select(v => v.Str("contactid")).Should().NotContain(rows[50].Id.ToString());
        var next = await _client.GetOkAsync(rest[^1].Str("@odata.deltaLink")!, Tracking);
        next.Values().Select(v => v.Str("contactid")).Should().Equal(rows[50].Id.ToString());
    }

    [Fact]
    public async Task A_token_older_than_retention_is_expired()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        _clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        var (response, body) = await _client.GetJsonAsync(deltaLink, Tracking);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Should().Be(("0x80044352", "Version stamp associated with the client has expired. Please perform a full sync."));
    }

    [Fact]
    public async Task A_token_below_the_retention_floor_is_expired()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        _host.Store.RetentionFloor = _host.Store.CurrentVersion + 1;

        var (response, body) = await _client.GetJsonAsync(deltaLink, Tracking);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Code.Should().Be("0x80044352");
    }

    [Theory]
    [InlineData("contacts?$select=fullname&$deltatoken=notatoken")]
    [InlineData("contacts?$select=fullname&$deltatoken=99999999%2101%2f01%2f2025%2000%3a00%3a00")]
    [InlineData("contacts?$select=fullname&$skiptoken=%3Ccookie%20nonsense")]
    public async Task An_unusable_token_is_400_invalid_argument(string url)
    {
        var (response, body) = await _client.GetJsonAsync(url, Tracking);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Code.Should().Be("0x80040203");
    }

    [Theory]
    [InlineData("$filter=firstname eq 'x'", "$filter")]
    [InlineData("$orderby=fullname", "$orderby")]
    [InlineData("$top=5", "$top")]
    [InlineData("$expand=parentcustomerid_account", "$expand")]
    public async Task Query_options_that_track_changes_refuses(string option, string name)
    {
        var (response, body) = await _client.GetJsonAsync("contacts?$select=fullname&" + option, Tracking);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Message.Should().Be($"The {name} query parameter isn't supported when Change Tracking is enabled.");
    }

    [Fact]
    public async Task A_table_without_change_tracking_refuses_clearly()
    {
        _host.Store.SetChangeTracking("account", false);
        var (response, body) = await _client.GetJsonAsync("accounts?$select=name", Tracking);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Message.Should().Contain("Change tracking is not enabled for entity 'account'");
    }

    [Fact]
    public async Task Re_enabling_change_tracking_expires_earlier_tokens()
    {
        var deltaLink = await DeltaLinkAsync("accounts?$select=name");
        _host.Store.SetChangeTracking("account", false);
        _host.Store.SetChangeTracking("account", true);

        var (_, body) = await _client.GetJsonAsync(deltaLink, Tracking);
        body.Error().Code.Should().Be("0x80044352");
    }

    [Fact]
    public async Task A_delta_read_is_served_with_the_select_it_asks_for()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        var row = _host.Store.Snapshot("contact")[3];
        _host.Store.Update("contact", row.Id, new Dictionary<string, object?> { ["jobtitle"] = "Head of Year" });

        var widened = deltaLink.Replace("$select=fullname", "$select=fullname,jobtitle", StringComparison.Ordinal);
        var delta = await _client.GetOkAsync(widened, Tracking);

        delta.Values().Single().Str("jobtitle").Should().Be("Head of Year");
        delta.Str("@odata.deltaLink").Should().Contain("$select=fullname,jobtitle&");
    }

    [Fact]
    public async Task Count_of_pending_changes_uses_the_delta_token()
    {
        var deltaLink = await DeltaLinkAsync("contacts?$select=fullname");
        var rows = _host.Store.Snapshot("contact");
        _host.Store.Update("contact", rows[0].Id, new Dictionary<string, object?> { ["middlename"] = "A" });
        _host.Store.Delete("contact", rows[1].Id);

        var countUrl = deltaLink.Replace("contacts?$select=fullname&", "contacts/$count?", StringComparison.Ordinal);
        (await _client.GetStringAsync(countUrl)).Should().Be("2");
    }

    private async Task<string> DeltaLinkAsync(string url)
    {
        var pages = await _client.ReadAllPagesAsync(url, Tracking);
        return pages[^1].Str("@odata.deltaLink")!;
    }
}
