using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

public sealed class RequestLogTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SimulatorFactory.StartAsync();
        _client = SimulatorFactory.Client(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task The_raw_target_is_logged_exactly_as_sent()
    {
        await _client.GetAsync("contacts?%24select=fullname&$filter=lastname%20eq%20%27O%27%27Brien%27");

        var entry = _host.RequestLog.Entries.Single();
        entry.RawTarget.Should().Be("/api/data/v9.2/contacts?%24select=fullname&$filter=lastname%20eq%20%27O%27%27Brien%27");
        entry.Kind.Should().Be(RequestKind.Query);
        entry.EntitySet.Should().Be("contacts");
        entry.StatusCode.Should().Be(200);
    }

    [Fact]
    public async Task Next_links_followed_with_HttpClient_arrive_byte_for_byte()
    {
        const string prefer = "odata.track-changes,odata.maxpagesize=40";
        var pages = await _client.ReadAllPagesAsync("contacts?$select=fullname", prefer);
        var links = pages.Select(p => p.Str("@odata.nextLink")).OfType<string>().ToList();
        var delta = pages[^1].Str("@odata.deltaLink")!;
        await _client.GetOkAsync(delta, prefer);

        var entries = _host.RequestLog.Query("contacts");
        entries.Skip(1).Take(links.Count).Select(e => _host.BaseUrl + e.RawTarget).Should().Equal(links);
        (_host.BaseUrl + entries[^1].RawTarget).Should().Be(delta);
        entries.Select(e => (e.Kind, e.IsNextLink)).Should().Equal(
            (RequestKind.Initial, false), (RequestKind.Initial, true), (RequestKind.Initial, true), (RequestKind.Delta, false));
        entries.Take(3).Select(e => e.RowsReturned).Should().Equal(40, 40, 40);
        entries.Should().OnlyContain(e => e.Prefer == prefer && !e.HasAuthorization);
    }

    [Fact]
    public async Task Entries_are_queryable_by_kind_and_resettable()
    {
        await _client.GetAsync("EntityDefinitions(LogicalName='contact')?$select=LogicalName");
        await _client.GetAsync("accounts?$select=name");
        await _client.GetAsync("accounts?$select=name");

        _host.RequestLog.Query(kind: RequestKind.Metadata).Single().EntitySet.Should().Be("contact");
        _host.RequestLog.Query("accounts", RequestKind.Query).Should().HaveCount(2);
        _host.RequestLog.Entries.Should().OnlyContain(e => e.Duration > TimeSpan.Zero);
        _host.RequestLog.Entries.Select(e => e.ArrivedAt).Should().BeInAscendingOrder();

        _host.RequestLog.Reset();
        _host.RequestLog.Entries.Should().BeEmpty();
    }
}
