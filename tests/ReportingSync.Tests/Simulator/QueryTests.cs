using System.Data.SqlTypes;
using System.Net;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

public sealed class QueryTests : IAsyncLifetime
{
    private static readonly Comparer<Guid> SqlOrder = Comparer<Guid>.Create((a, b) => new SqlGuid(a).CompareTo(new SqlGuid(b)));
    private SimulatorHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SimulatorFactory.StartAsync(o => o.RowCounts["contact"] = 6000);
        _client = SimulatorFactory.Client(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Guid_comparisons_use_SQL_Server_order_for_key_ranges()
    {
        var ids = _host.Store.Snapshot("contact").Select(r => r.Id).ToList();
        var (low, high) = (ids[1000], ids[1100]);

        var pages = await _client.ReadAllPagesAsync($"contacts?$select=contactid&$filter=contactid gt {low} and contactid le {high}");

        var got = pages.SelectMany(p => p.Values()).Select(r => Guid.Parse(r.Str("contactid")!)).ToList();
        got.Should().Equal(ids.Skip(1001).Take(100));
        got.Should().OnlyContain(g => new SqlGuid(g).CompareTo(new SqlGuid(low)) > 0 && new SqlGuid(g).CompareTo(new SqlGuid(high)) <= 0);
    }

    [Fact]
    public async Task Default_paging_is_5000_rows_with_a_cookie_and_no_skip()
    {
        var first = await _client.GetOkAsync("contacts?$select=contactid");
        first.Values().Should().HaveCount(5000);
        var next = first.Str("@odata.nextLink")!;
        next.Should().Contain("$skiptoken=%3Ccookie%20pagenumber=%222%22").And.Contain("istracking=%22False%22");
        var second = await _client.GetOkAsync(next);
        second.Values().Should().HaveCount(1000);
        second.TryGetProperty("@odata.nextLink", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Filters_combine_with_and_or_and_parentheses()
    {
        var rows = _host.Store.Snapshot("contact");
        var expected = rows.Where(r => (r["gendercode"] is 1 || r["gendercode"] is 2) && r["birthdate"] is DateOnly d && d >= new DateOnly(1980, 1, 1))
            .Select(r => r.Id).ToList();

        var pages = await _client.ReadAllPagesAsync("contacts?$select=contactid&$filter=(gendercode eq 1 or gendercode eq 2) and birthdate ge 1980-01-01");

        pages.SelectMany(p => p.Values()).Select(r => Guid.Parse(r.Str("contactid")!)).Should().Equal(expected);
    }

    [Fact]
    public async Task Null_comparisons_and_string_equality()
    {
        var rows = _host.Store.Snapshot("contact");
        var withEmail = rows.Count(r => r["emailaddress1"] is not null);
        var pages = await _client.ReadAllPagesAsync("contacts?$select=contactid&$filter=emailaddress1 ne null");
        pages.SelectMany(p => p.Values()).Should().HaveCount(withEmail);

        var name = (string)rows[10]["lastname"]!;
        var sameName = rows.Count(r => string.Equals((string?)r["lastname"], name, StringComparison.OrdinalIgnoreCase));
        var escaped = name.Replace("'", "''", StringComparison.Ordinal);
        var byName = await _client.ReadAllPagesAsync($"contacts?$select=contactid&$filter=lastname eq '{Uri.EscapeDataString(escaped)}'");
        byName.SelectMany(p => p.Values()).Should().HaveCount(sameName);
    }

    [Fact]
    public async Task Orderby_several_keys_pages_consistently()
    {
        var pages = await _client.ReadAllPagesAsync("contacts?$select=lastname,firstname&$orderby=lastname desc,firstname asc", "odata.maxpagesize=700");

        var rows = pages.SelectMany(p => p.Values()).Select(r => (Last: r.Str("lastname"), First: r.Str("firstname"), Id: r.Str("contactid"))).ToList();
        rows.Should().HaveCount(6000);
        rows.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        for (var i = 1; i < rows.Count; i++)
        {
            var byLast = string.Compare(rows[i - 1].Last, rows[i].Last, StringComparison.OrdinalIgnoreCase);
            byLast.Should().BeGreaterThanOrEqualTo(0);
            if (byLast == 0)
            {
                string.Compare(rows[i - 1].First, rows[i].First, StringComparison.OrdinalIgnoreCase).Should().BeLessThanOrEqualTo(0);
            }
        }
    }

    [Fact]
    public async Task Orderby_guid_descending_uses_SQL_Server_order()
    {
        var body = await _client.GetOkAsync("contacts?$select=contactid&$orderby=contactid desc&$top=50");
        var ids = body.Values().Select(r => Guid.Parse(r.Str("contactid")!)).ToList();
        ids.Should().HaveCount(50).And.BeInDescendingOrder(SqlOrder);
        ids[0].Should().Be(_host.Store.Snapshot("contact")[^1].Id);
    }

    [Fact]
    public async Task Top_limits_the_rows_and_stops_paging()
    {
        var body = await _client.GetOkAsync("contacts?$select=fullname&$top=7", "odata.maxpagesize=3");
        body.Values().Should().HaveCount(7);
        body.TryGetProperty("@odata.nextLink", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Count_never_exceeds_5000()
    {
        var body = await _client.GetOkAsync("contacts?$select=contactid&$count=true&$top=1",
            "odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\"");
        body.GetProperty("@odata.count").GetInt32().Should().Be(5000);
        body.GetProperty("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded").GetBoolean().Should().BeTrue();

        var small = await _client.GetOkAsync("accounts?$select=name&$count=true");
        small.GetProperty("@odata.count").GetInt32().Should().Be(15);

        (await _client.GetStringAsync("contacts/$count")).Should().Be("5000");
        (await _client.GetStringAsync("accounts/$count")).Should().Be("15");
    }

    [Fact]
    public async Task RetrieveTotalRecordCount_reports_the_real_size()
    {
        var body = await _client.GetOkAsync("RetrieveTotalRecordCount(EntityNames=@p1)?@p1=" + Uri.EscapeDataString("[\"contact\",\"account\"]"));
        var collection = body.GetProperty("EntityRecordCountCollection");
        collection.GetProperty("Count").GetInt32().Should().Be(2);
        collection.GetProperty("IsReadOnly").GetBoolean().Should().BeFalse();
        collection.GetProperty("Keys").EnumerateArray().Select(k => k.GetString()).Should().Equal("contact", "account");
        collection.GetProperty("Values").EnumerateArray().Select(v => v.GetInt64()).Should().Equal(6000, 15);
    }

    [Fact]
    public async Task Single_row_by_id_or_404()
    {
        var row = _host.Store.Snapshot("contact")[42];
        var body = await _client.GetOkAsync($"contacts({row.Id})?$select=fullname");
        body.Str("@odata.context").Should().EndWith("$metadata#contacts(fullname)/$entity");
        body.Str("fullname").Should().Be((string?)row["fullname"]);
        body.Str("contactid").Should().Be(row.Id.ToString());

        var (response, error) = await _client.GetJsonAsync($"contacts({Guid.NewGuid()})?$select=fullname");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        error.Error().Code.Should().Be("0x80040217");
    }

    [Theory]
    [InlineData("contacts?$select=nosuchcolumn", "nosuchcolumn")]
    [InlineData("contacts?$select=parentcustomeridname", "parentcustomeridname")]
    [InlineData("contacts?$select=parentcustomerid", "parentcustomerid")]
    [InlineData("contacts?$select=entityimage", "entityimage")]
    [InlineData("contacts?$select=fullname&$filter=bogus eq 1", "bogus")]
    public async Task Unknown_or_unselectable_properties_are_refused(string url, string property)
    {
        var (response, body) = await _client.GetJsonAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Should().Be(("0x80060888", $"Could not find a property named '{property}' on type 'Microsoft.Dynamics.CRM.contact'."));
    }

    [Fact]
    public async Task Skip_and_unknown_sets_are_refused()
    {
        var (skip, skipBody) = await _client.GetJsonAsync("contacts?$skip=10");
        skip.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        skipBody.Error().Message.Should().Be("Skip Clause is not supported in CRM");

        var (missing, missingBody) = await _client.GetJsonAsync("nosuchthings?$select=name");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missingBody.Error().Message.Should().Be("Resource not found for the segment 'nosuchthings'.");
    }

    [Fact]
    public async Task Responses_carry_the_dop_hint_and_odata_headers()
    {
        var response = await _client.GetAsync("accounts?$select=name&$top=1");
        response.Headers.GetValues("x-ms-dop-hint").Single().Should().Be("4");
        response.Headers.GetValues("OData-Version").Single().Should().Be("4.0");
        response.Content.Headers.ContentType!.ToString().Should().StartWith("application/json");
    }
}
