using System.Text.RegularExpressions;
using ReportingSync.Dataverse;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Tests.Dataverse.Support;
using static ReportingSync.Tests.Dataverse.Support.ContactSample;

namespace ReportingSync.Tests.Dataverse.Queries;

/// <summary>Ordinary queries, keys, fetch by ids and record counts over the same transport.</summary>
public sealed partial class QueryReaderTests : LoopbackSourceTests
{
    private const string Annotations =
        "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname,OData.Community.Display.V1.FormattedValue\"";

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidPattern();

    private static string KeyRow(Guid id, long version) => $$"""{"@odata.etag": "W/\"{{version}}\"", "contactid": "{{id}}", "versionnumber": {{version}}}""";

    [Fact]
    public async Task A_key_range_query_sends_filter_orderby_and_top_without_change_tracking()
    {
        var from = Guid.Parse("00000000-0000-0000-0000-400000000000");
        var to = Guid.Parse("00000000-0000-0000-0000-800000000000");
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, NextLink(Stub.Api), null, false, FullRow)));

        var page = await Sut.Source.ReadQueryPageAsync(
            Layout, ODataFilters.KeyRange("contactid", from, to), "contactid asc", 10, null, CancellationToken.None);

        var request = Stub.Requests.Single();
        request.RawTarget.Should().Be(
            "/api/data/v9.2/contacts?$select=" + Select +
            "&$filter=contactid%20ge%2000000000-0000-0000-0000-400000000000%20and%20contactid%20lt%2000000000-0000-0000-0000-800000000000" +
            "&$orderby=contactid%20asc&$top=10");
        request.Header("Prefer").Should().Be("odata.maxpagesize=5000," + Annotations);
        page.Rows.Count.Should().Be(1);
        Value(page.Rows, 0, "owneridname").Should().Be("Teaching Regulation Agency");
        page.NextLink.Should().Be(NextLink(Stub.Api));
        page.Requests.Should().Be(1);
    }

    [Fact]
    public async Task The_next_page_is_read_from_the_link_verbatim_and_the_last_page_has_no_link()
    {
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, null, false, SparseRow)));

        var page = await Sut.Source.ReadQueryPageAsync(Layout, "ignored", null, null, NextLink(Stub.Api), CancellationToken.None);

        Stub.Requests.Single().RawTarget.Should().Be(NextLink(Stub.Api)[Stub.Url.Length..]);
        page.NextLink.Should().BeNull();
    }

    [Fact]
    public async Task A_rejected_query_link_asks_for_a_restart()
    {
        Stub.RespondInOrder(StubResponse.Error(400, "0x80040203", "Invalid paging cookie."));

        var act = () => Sut.Source.ReadQueryPageAsync(Layout, null, null, null, NextLink(Stub.Api), CancellationToken.None);

        await act.Should().ThrowAsync<CursorRejectedException>();
    }

    [Fact]
    public async Task Keys_stream_page_after_page_with_only_the_id_and_version_selected()
    {
        var ids = Enumerable.Range(1, 3).Select(i => Guid.Parse($"00000000-0000-0000-0000-00000000000{i}")).ToList();
        var second = Stub.Api + "contacts?$select=contactid,versionnumber&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E";
        Stub.RespondInOrder(
            StubResponse.Ok(Page(Stub.Api, second, null, false, KeyRow(ids[0], 10), KeyRow(ids[1], 11))),
            StubResponse.Ok(Page(Stub.Api, null, null, false, KeyRow(ids[2], 12))));

        var keys = await Sut.Source.ReadKeysAsync(Layout, null, CancellationToken.None).ToListAsync();

        keys.Should().Equal(new RowKey(ids[0], 10), new RowKey(ids[1], 11), new RowKey(ids[2], 12));
        var requests = Stub.Requests;
        requests[0].RawTarget.Should().Be("/api/data/v9.2/contacts?$select=contactid,versionnumber");
        requests[0].Header("Prefer").Should().Be("odata.maxpagesize=5000");
        requests[1].RawTarget.Should().Be(second[Stub.Url.Length..]);
    }

    [Fact]
    public async Task A_tracked_keys_read_ends_with_a_delta_link_and_allows_no_filter()
    {
        var id = Guid.NewGuid();
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false, KeyRow(id, 5))));

        var page = await Sut.Source.ReadKeysPageAsync(Layout, null, null, trackChanges: true, CancellationToken.None);

        page.Keys.Should().Equal(new RowKey(id, 5));
        page.Next.Should().Be(SyncCursor.Delta(DeltaLink(Stub.Api)));
        Stub.Requests.Single().Header("Prefer").Should().Be("odata.track-changes,odata.maxpagesize=5000");
        var act = () => Sut.Source.ReadKeysPageAsync(Layout, "contactid ne null", null, trackChanges: true, CancellationToken.None);
        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Rows_are_fetched_by_id_in_batches_whose_urls_stay_under_8_KB()
    {
        var ids = Enumerable.Range(0, 400).Select(_ => Guid.NewGuid()).ToList();
        Stub.Respond(r =>
        {
            // Answer with the rows asked for, except every tenth id, which "no longer exists".
            var asked = GuidPattern().Matches(Uri.UnescapeDataString(r.RawQueryOption("$filter")!)).Select(m => Guid.Parse(m.Value));
            var rows = asked.Where(id => ids.IndexOf(id) % 10 != 0).Select(id => KeyRow(id, 1)).ToArray();
            return StubResponse.Ok(Page(Stub.Api, null, null, false, rows));
        });

        var rows = await Sut.Source.FetchByIdsAsync(Layout, ids, CancellationToken.None);

        var requests = Stub.Requests;
        requests.Count.Should().BeGreaterThan(1);
        requests.Should().OnlyContain(r => (Stub.Url + r.RawTarget).Length <= QueryReader.MaxUrlLength);
        requests.Should().OnlyContain(r => r.RawTarget.StartsWith("/api/data/v9.2/contacts?$select=" + Select + "&$filter=contactid%20eq%20", StringComparison.Ordinal));
        requests[0].RawQueryOption("$filter")!.Should().Contain("%20or%20contactid%20eq%20");
        Enumerable.Range(0, rows.Count).Select(rows.GetId).Should().BeEquivalentTo(ids.Where((_, i) => i % 10 != 0));
    }

    [Fact]
    public void Id_batches_fill_the_budget_and_always_hold_at_least_one_id()
    {
        var ids = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        var clause = "contactid%20eq%20".Length + 36;
        var separator = "%20or%20".Length;

        QueryReader.Batches("contactid", ids, (3 * clause) + (2 * separator)).Select(b => b.Count).Should().Equal(3, 3, 3, 1);
        QueryReader.Batches("contactid", ids, 1).Select(b => b.Count).Should().Equal(Enumerable.Repeat(1, 10));
        QueryReader.Batches("contactid", [], 1000).Should().BeEmpty();
    }

    [Fact]
    public async Task The_total_record_count_comes_from_RetrieveTotalRecordCount()
    {
        Stub.RespondInOrder(StubResponse.Ok($$"""
            {"@odata.context": "{{Stub.Api}}$metadata#Microsoft.Dynamics.CRM.RetrieveTotalRecordCountResponse",
             "EntityRecordCountCollection": {"Count": 1, "IsReadOnly": false, "Keys": ["contact"], "Values": [1234567]} }
            """));

        var count = await Sut.Source.GetTotalRecordCountAsync("contact", CancellationToken.None);

        count.Should().Be(1234567);
        Stub.Requests.Single().RawTarget.Should().Be("/api/data/v9.2/RetrieveTotalRecordCount(EntityNames=@p1)?@p1=%5B%22contact%22%5D");
    }

    [Fact]
    public async Task An_unknown_record_count_is_null()
    {
        Stub.RespondInOrder(StubResponse.Ok("""{"EntityRecordCountCollection": {"Count": 0, "Keys": [], "Values": []}}"""));

        (await Sut.Source.GetTotalRecordCountAsync("contact", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public void Key_range_filters_use_unquoted_guid_literals_and_open_bounds()
    {
        var a = Guid.Parse("11111111-1111-1111-1111-111111111111");
        var b = Guid.Parse("22222222-2222-2222-2222-222222222222");

        ODataFilters.KeyRange("contactid", a, b).Should().Be(
            "contactid ge 11111111-1111-1111-1111-111111111111 and contactid lt 22222222-2222-2222-2222-222222222222");
        ODataFilters.KeyRange("contactid", null, b).Should().Be("contactid lt 22222222-2222-2222-2222-222222222222");
        ODataFilters.KeyRange("contactid", a, null).Should().Be("contactid ge 11111111-1111-1111-1111-111111111111");
        ODataFilters.KeyRange("contactid", null, null).Should().BeNull();
        ODataFilters.AnyId("contactid", [a, b]).Should().Be(
            "contactid eq 11111111-1111-1111-1111-111111111111 or contactid eq 22222222-2222-2222-2222-222222222222");
        var act = () => ODataFilters.KeyRange("contactid or 1 eq 1", a, b);
        act.Should().Throw<InvalidIdentifierException>();
    }
}
