using ReportingSync.Dataverse;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Tests.Dataverse.Support;
using static ReportingSync.Tests.Dataverse.Support.ContactSample;

namespace ReportingSync.Tests.Dataverse.Changes;

public sealed class ChangeReaderTests : LoopbackSourceTests
{
    private const string FullPrefer =
        "odata.track-changes,odata.maxpagesize=5000,odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname,OData.Community.Display.V1.FormattedValue\"";

    [Fact]
    public async Task Initial_read_selects_the_layout_columns_and_asks_for_a_tracked_page_with_annotations()
    {
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, NextLink(Stub.Api), null, false, FullRow, SparseRow)));

        var page = await Sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None);

        var request = Stub.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("GET");
        request.RawTarget.Should().Be("/api/data/v9.2/contacts?$select=" + Select);
        request.Header("Prefer").Should().Be(FullPrefer);
        request.Header("Accept").Should().Be("application/json");
        request.Header("OData-MaxVersion").Should().Be("4.0");
        request.Header("OData-Version").Should().Be("4.0");
        request.Header("Accept-Encoding").Should().Contain("gzip").And.Contain("br").And.Contain("deflate");
        request.Headers.Should().NotContainKey("Authorization");

        page.Upserts.Count.Should().Be(2);
        page.Deletes.Should().BeEmpty();
        page.Next.Should().Be(SyncCursor.Next(NextLink(Stub.Api)));
        page.CompletesRead.Should().BeFalse();
        page.Requests.Should().Be(1);
    }

    [Fact]
    public async Task Every_column_gets_its_storage_type_and_lookups_fill_id_type_and_name_columns()
    {
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false, FullRow)));

        var rows = (await Sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None)).Upserts;

        object? V(string column) => Value(rows, 0, column);
        V("Id").Should().Be(Guid.Parse(RowId1));
        V("address1_latitude").Should().BeOfType<double>().Which.Should().Be(51.50722);
        V("annualincome").Should().BeOfType<decimal>().Which.Should().Be(20000.0000m);
        ((decimal)V("annualincome")!).Scale.Should().Be(4, "money keeps the digits Dataverse sent; the target rounds");
        V("birthdate").Should().Be(new DateOnly(1987, 4, 7));
        V("createdby").Should().Be(Guid.Parse(UserId));
        V("createdby_entitytype").Should().Be("systemuser");
        V("createdbyname").Should().Be("Integration User");
        V("createdon").Should().BeOfType<DateTime>().Which.Should().Be(new DateTime(2023, 4, 7, 21, 59, 1, DateTimeKind.Utc));
        ((DateTime)V("createdon")!).Kind.Should().Be(DateTimeKind.Utc);
        V("description").Should().Be("Line one\nLine \"two\" — 引用 😀 שלום");
        V("dfeta_qtsdate").Should().Be(new DateTime(2021, 9, 1, 0, 0, 0, DateTimeKind.Utc));
        V("dfeta_specialisms").Should().Be("2,3,8,9");
        V("dfeta_trn").Should().Be("1234567");
        V("donotemail").Should().Be(true);
        V("exchangerate").Should().Be(1.0000000001m);
        V("fullname").Should().Be("Zoë O'Brien-Ødegård");
        V("gendercode").Should().BeOfType<int>().Which.Should().Be(2);
        V("importsequencenumber").Should().Be(-5);
        V("modifiedon").Should().Be(new DateTime(2024, 11, 2, 8, 15, 30, 123, DateTimeKind.Utc));
        V("ownerid").Should().Be(Guid.Parse(TeamId));
        V("ownerid_entitytype").Should().Be("team");
        V("owneridtype").Should().Be("team");
        V("owneridname").Should().Be("Teaching Regulation Agency");
        V("owneridyominame").Should().BeNull("the yomi name is another value than the display name, and the Web API has none");
        V("parentcustomerid").Should().Be(Guid.Parse(AccountId));
        V("parentcustomerid_entitytype").Should().Be("account");
        V("parentcustomeridtype").Should().Be("account");
        V("parentcustomeridname").Should().Be("Bishop's Stortford College");
        V("stageid").Should().Be(Guid.Parse("00000000-0000-0000-0000-000000000001"));
        V("statecode").Should().Be(0);
        V("statuscode").Should().Be(1);
        V("timezoneruleversionnumber").Should().Be(4);
        V("versionnumber").Should().BeOfType<long>().Which.Should().Be(915244L);
        rows.GetVersion(0).Should().Be(915244L);
        rows.MaxModifiedOn().Should().Be(new DateTime(2024, 11, 2, 8, 15, 30, 123, DateTimeKind.Utc));
    }

    [Fact]
    public async Task Missing_and_null_properties_stay_null()
    {
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false, SparseRow)));

        var rows = (await Sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None)).Upserts;

        var row = rows[0];
        row[Layout.IdOrdinal].Should().Be(Guid.Parse(RowId2));
        row[Layout.VersionOrdinal].Should().Be(915300L);
        row.Where((_, i) => i != Layout.IdOrdinal && i != Layout.VersionOrdinal).Should().OnlyContain(v => v == null);
    }

    [Fact]
    public async Task A_delta_page_carries_changed_rows_and_deletes_and_ends_with_the_next_delta_link()
    {
        var saved = DeltaLink(Stub.Api);
        var newer = Stub.Api + "contacts?$select=" + LayoutSelect + "&$deltatoken=919100%2108%2f23%2f2017%2011%3a00%3a00";
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, newer, true, FullRow, DeletedRow)));

        var page = await Sut.Source.ReadChangesAsync(Layout, SyncCursor.Delta(saved), CancellationToken.None);

        page.Upserts.Count.Should().Be(1);
        page.Deletes.Should().Equal(Guid.Parse(DeletedId));
        page.Next.Should().Be(SyncCursor.Delta(newer));
        page.CompletesRead.Should().BeTrue();
        var request = Stub.Requests.Should().ContainSingle().Subject;
        request.RawTarget.Should().Be(saved[Stub.Url.Length..]);
        request.Header("Prefer").Should().Be(FullPrefer, "every page is asked for with the same maxpagesize and annotations");
    }

    [Fact]
    public async Task Next_and_delta_links_are_sent_byte_for_byte()
    {
        var next = NextLink(Stub.Api);
        var delta = DeltaLink(Stub.Api);
        Stub.RespondInOrder(
            StubResponse.Ok(Page(Stub.Api, delta, null, false)),
            StubResponse.Ok(Page(Stub.Api, null, delta, true)));

        await Sut.Source.ReadChangesAsync(Layout, SyncCursor.Next(next), CancellationToken.None);
        await Sut.Source.ReadChangesAsync(Layout, SyncCursor.Delta(delta), CancellationToken.None);

        var targets = Stub.Requests.Select(r => r.RawTarget).ToList();
        targets[0].Should().Be(next[Stub.Url.Length..]);
        targets[0].Should().Contain("%253ccookie%2520page%253d%25221%2522%253e").And.Contain("%252f%253e");
        targets[1].Should().Be(delta[Stub.Url.Length..]);
        targets[1].Should().EndWith("$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44");
    }

    [Fact]
    public async Task A_link_is_not_canonicalised_even_where_a_normal_Uri_would_unescape_it()
    {
        // System.Uri would turn %7E into ~ and %41 into A; a token must reach Dataverse exactly as Dataverse wrote it.
        var link = Stub.Api + "contacts?$select=" + LayoutSelect + "&$deltatoken=91%7E90%41%2108%2f22%2f2017";
        new Uri(link).PathAndQuery.Should().NotBe(link[Stub.Url.Length..], "otherwise this test proves nothing");
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, link, true)));

        await Sut.Source.ReadChangesAsync(Layout, SyncCursor.Delta(link), CancellationToken.None);

        Stub.Requests.Single().RawTarget.Should().Be(link[Stub.Url.Length..]);
    }

    [Fact]
    public async Task Without_name_columns_only_the_lookup_type_annotation_is_asked_for()
    {
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false, FullRow)));

        var page = await Sut.Source.ReadChangesAsync(LayoutWithoutNames, null, CancellationToken.None);

        Stub.Requests.Single().Header("Prefer").Should().Be(
            "odata.track-changes,odata.maxpagesize=5000,odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"");
        Value(page.Upserts, 0, "owneridtype").Should().Be("team");
    }

    [Fact]
    public async Task Page_size_comes_from_the_options()
    {
        await using var sut = SourceUnderTest.Create(Stub.Url, o => o.PageSize = 500);
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false)));

        await sut.Source.ReadChangesAsync(LayoutWithoutNames, null, CancellationToken.None);

        Stub.Requests.Single().Header("Prefer").Should().StartWith("odata.track-changes,odata.maxpagesize=500,");
    }

    [Fact]
    public async Task A_page_with_neither_link_is_an_error()
    {
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, null, false, FullRow)));

        var act = () => Sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<SourceUnavailableException>()).Which;
        error.Message.Should().Be(
            $"Dataverse at {Stub.Url} answered a change-tracking read of 'contact' without @odata.nextLink or @odata.deltaLink, so the read cannot continue.");
        error.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task A_value_that_does_not_fit_its_column_names_entity_row_column_and_value_and_is_not_retried()
    {
        var bad = FullRow.Replace("\"importsequencenumber\": -5", "\"importsequencenumber\": \"five\"");
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false, bad)));

        var act = () => Sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<RowDecodeException>()).Which;
        error.Message.Should().Be(
            $"Entity 'contact', row {RowId1}, column 'importsequencenumber': expected a whole number that fits Int32, got string \"five\".");
        error.Entity.Should().Be("contact");
        error.RowId.Should().Be(Guid.Parse(RowId1));
        error.Column.Should().Be("importsequencenumber");
        error.IsTransient.Should().BeFalse();
        Stub.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Compressed_answers_are_decompressed()
    {
        Stub.RespondInOrder(StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false, FullRow)) with { Gzip = true });

        var page = await Sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None);

        Value(page.Upserts, 0, "fullname").Should().Be("Zoë O'Brien-Ødegård");
    }

    [Theory]
    [InlineData("https://evil.example.com/api/data/v9.2/contacts?$deltatoken=1", "it points at https://evil.example.com, not at")]
    [InlineData("http://localhost:1/api/data/v9.2/contacts?$deltatoken=1", "it points at http://localhost:1, not at")]
    [InlineData("/api/data/v9.2/contacts?$deltatoken=1", "it is not an absolute http(s) URL, so it cannot be a link Dataverse at")]
    [InlineData("file:///api/data/v9.2/contacts?$deltatoken=1", "it is not an absolute http(s) URL, so it cannot be a link Dataverse at")]
    public async Task A_saved_link_to_another_host_is_refused_without_sending_the_token_there_and_says_so(string link, string reason)
    {
        var act = () => Sut.Source.ReadChangesAsync(Layout, SyncCursor.Delta(link), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CursorRejectedException>()).Which;
        error.Message.Should().StartWith($"The saved link for 'contact' was not sent to Dataverse: {reason}").And.Contain(Stub.Url).And.NotContain("HTTP");
        error.WasSent.Should().BeFalse();
        error.StatusCode.Should().BeNull();
        Stub.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    public async Task A_saved_link_Dataverse_no_longer_knows_asks_for_a_restart_of_the_read(int status)
    {
        Stub.RespondInOrder(StubResponse.Error(status, "0x80060888", "Gone."));

        var act = () => Sut.Source.ReadChangesAsync(Layout, SyncCursor.Delta(DeltaLink(Stub.Api)), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CursorRejectedException>()).Which;
        error.StatusCode.Should().Be(status);
        error.WasSent.Should().BeTrue();
        Stub.Requests.Should().HaveCount(1, "a rejected link is not retried");
    }
}
