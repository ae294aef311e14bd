using System.Net;
using System.Text.Json;
using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

public sealed class FaultInjectionTests : IAsyncLifetime
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

    [Theory]
    [InlineData(nameof(FaultKind.InternalServerError), 500)]
    [InlineData(nameof(FaultKind.BadGateway), 502)]
    [InlineData(nameof(FaultKind.ServiceUnavailable), 503)]
    public async Task Server_errors_have_Dataverse_shaped_bodies(string faultKind, int status)
    {
        var kind = Enum.Parse<FaultKind>(faultKind);
        _host.Faults.Add(new FaultRule { Kind = kind, Count = 1 });

        var (response, body) = await _client.GetJsonAsync("accounts?$select=name");
        ((int)response.StatusCode).Should().Be(status);
        body.Error().Code.Should().StartWith("0x");

        (await _client.GetAsync("accounts?$select=name")).StatusCode.Should().Be(HttpStatusCode.OK, "the rule fires on the next request only");
        _host.Faults.CountsByKind.Should().Equal(new Dictionary<FaultKind, int> { [kind] = 1 });
        _host.RequestLog.Entries.First().Fault.Should().Be(kind.ToString());
    }

    [Fact]
    public async Task A_connection_reset_mid_body_breaks_the_read()
    {
        _host.Faults.Add(new FaultRule { Kind = FaultKind.ConnectionReset, Count = 1, Scope = FaultScope.Query });

        var act = async () =>
        {
            using var response = await _client.GetAsync("contacts?$select=fullname", HttpCompletionOption.ResponseHeadersRead);
            await response.Content.ReadAsByteArrayAsync();
        };

        await act.Should().ThrowAsync<Exception>();
        (await _client.GetAsync("contacts?$select=fullname")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Truncated_json_completes_the_response_early()
    {
        _host.Faults.Add(new FaultRule { Kind = FaultKind.TruncatedJson, Count = 1, BodyFraction = 0.3 });

        var response = await _client.GetAsync("contacts?$select=fullname");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();

        text.Should().StartWith("{\"@odata.context\"");
        var parse = () => JsonDocument.Parse(text);
        parse.Should().Throw<JsonException>();
    }

    [Fact]
    public async Task A_429_fault_carries_its_retry_after()
    {
        _host.Faults.Add(new FaultRule { Kind = FaultKind.TooManyRequests, Count = 1, RetryAfter = TimeSpan.FromSeconds(7) });

        var (response, body) = await _client.GetJsonAsync("accounts?$select=name");

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7));
        body.Error().Code.Should().Be("0x80072322");
        _host.RequestLog.Entries.Single().RetryAfter.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Expired_token_and_rejected_next_link_faults_hit_only_their_scope()
    {
        _host.Faults.Add(new FaultRule { Kind = FaultKind.NextLinkBadRequest, Scope = FaultScope.NextLink, Count = 1 });
        _host.Faults.Add(new FaultRule { Kind = FaultKind.ExpiredToken, Scope = FaultScope.Delta, Count = 1 });
        const string prefer = "odata.track-changes,odata.maxpagesize=100";

        var first = await _client.GetOkAsync("contacts?$select=fullname", prefer);
        var (nextResponse, nextBody) = await _client.GetJsonAsync(first.Str("@odata.nextLink")!, prefer);
        nextResponse.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        nextBody.Error().Code.Should().Be("0x80040203");

        var pages = await _client.ReadAllPagesAsync(first.Str("@odata.nextLink")!, prefer);
        var (deltaResponse, deltaBody) = await _client.GetJsonAsync(pages[^1].Str("@odata.deltaLink")!, prefer);
        deltaResponse.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        deltaBody.Error().Code.Should().Be("0x80044352");

        _host.Faults.Injected.Select(f => f.Kind).Should().Equal(FaultKind.NextLinkBadRequest, FaultKind.ExpiredToken);
    }

    [Fact]
    public async Task Rules_match_by_path_regex_and_seeded_probability()
    {
        _host.Faults.Add(new FaultRule { Kind = FaultKind.InternalServerError, PathPattern = "^/api/data/v9\\.2/accounts", Probability = 0.5 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await _client.GetAsync("accounts?$select=name")).StatusCode);
        }

        (await _client.GetAsync("contacts?$select=fullname&$top=1")).StatusCode.Should().Be(HttpStatusCode.OK);
        statuses.Count(s => s == HttpStatusCode.InternalServerError).Should().BeInRange(10, 30);

        await using var again = await SimulatorFactory.StartAsync();
        using var client = SimulatorFactory.Client(again);
        again.Faults.Add(new FaultRule { Kind = FaultKind.InternalServerError, PathPattern = "^/api/data/v9\\.2/accounts", Probability = 0.5 });
        var replay = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            replay.Add((await client.GetAsync("accounts?$select=name")).StatusCode);
        }

        replay.Should().Equal(statuses, "the same seed injects the same faults");
    }

    [Fact]
    public async Task A_slow_response_is_delayed()
    {
        _host.Faults.Add(new FaultRule { Kind = FaultKind.SlowResponse, Delay = TimeSpan.FromMilliseconds(300), Count = 1 });
        var started = System.Diagnostics.Stopwatch.StartNew();

        (await _client.GetAsync("accounts?$select=name")).StatusCode.Should().Be(HttpStatusCode.OK);

        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
    }
}
