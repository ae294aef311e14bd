using System.Net;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Tests.Simulator.Support;
using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.Tests.Simulator;

public sealed class ServiceProtectionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero));
    private SimulatorHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SimulatorFactory.StartAsync(o =>
        {
            o.TimeProvider = _clock;
            o.Limits.RequestsPerWindow = 3;
            o.Limits.Window = TimeSpan.FromSeconds(10);
        });
        _client = SimulatorFactory.Client(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Exceeding_the_window_gives_429_with_retry_after_and_the_Dataverse_error()
    {
        await AdmittedAsync();
        _clock.Advance(TimeSpan.FromSeconds(2.5));
        await AdmittedAsync();
        await AdmittedAsync();

        var (response, body) = await _client.GetJsonAsync("accounts?$select=name");

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(8));
        body.Error().Should().Be(("0x80072322", "Number of requests exceeded the limit of 3 over time window of 10 seconds."));
        _host.RequestLog.Entries.Last().RetryAfter.Should().Be(TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task A_client_that_waits_exactly_retry_after_is_admitted_and_one_that_waits_a_second_less_is_not()
    {
        await AdmittedAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        await AdmittedAsync();
        await AdmittedAsync();
        var refused = await _client.GetAsync("accounts?$select=name");
        var wait = refused.Headers.RetryAfter!.Delta!.Value;
        wait.Should().Be(TimeSpan.FromSeconds(10));

        _clock.Advance(wait - TimeSpan.FromSeconds(1));
        (await _client.GetAsync("accounts?$select=name")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await AdmittedAsync();

        var early = _host.RequestLog.EarlyRetries();
        early.Should().ContainSingle("only the request sent a second too soon ignored its Retry-After");
        early[0].Early.StatusCode.Should().Be(429);
    }

    [Fact]
    public async Task Limits_are_per_user_by_authorization_header()
    {
        await AdmittedAsync("Bearer a");
        await AdmittedAsync("Bearer a");
        await AdmittedAsync("Bearer a");
        (await SendAsync("Bearer a")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await SendAsync("Bearer b")).StatusCode.Should().Be(HttpStatusCode.OK);
        _host.RequestLog.Entries.Should().OnlyContain(e => e.HasAuthorization);
        _host.Limits.Rejections.Should().Be(1);
    }

    [Fact]
    public async Task Concurrent_requests_over_the_limit_get_0x80072326()
    {
        _host.Limits.Configure(o =>
        {
            o.RequestsPerWindow = null;
            o.MaxConcurrency = 1;
            o.ConcurrencyRetryAfter = TimeSpan.FromSeconds(2);
        });
        _host.Faults.Add(new DataverseSimulator.Faults.FaultRule
        {
            Kind = DataverseSimulator.Faults.FaultKind.SlowResponse,
            Delay = TimeSpan.FromMilliseconds(600),
            Count = 1,
        });

        var slow = _client.GetAsync("accounts?$select=name");
        await Task.Delay(200);
        var (response, body) = await _client.GetJsonAsync("accounts?$select=name");

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(2));
        body.Error().Should().Be(("0x80072326", "Number of concurrent requests exceeded the limit of 1."));
        _clock.Advance(TimeSpan.FromMilliseconds(600)); // the slow answer's delay runs on the simulator's clock
        (await slow).StatusCode.Should().Be(HttpStatusCode.OK);
        await AdmittedAsync();
    }

    [Fact]
    public async Task Sustained_pressure_can_lengthen_retry_after()
    {
        _host.Limits.Configure(o => o.PressurePenalty = TimeSpan.FromSeconds(5));
        await AdmittedAsync();
        await AdmittedAsync();
        await AdmittedAsync();

        var first = await _client.GetAsync("accounts?$select=name");
        var second = await _client.GetAsync("accounts?$select=name");

        second.Headers.RetryAfter!.Delta.Should().BeGreaterThan(first.Headers.RetryAfter!.Delta!.Value);
    }

    private async Task AdmittedAsync(string? authorization = null) =>
        (await SendAsync(authorization)).StatusCode.Should().Be(HttpStatusCode.OK);

    private async Task<HttpResponseMessage> SendAsync(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "accounts?$select=name");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _client.SendAsync(request);
    }
}
