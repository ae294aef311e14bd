using System.Diagnostics;
using ReportingSync.Dataverse;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Tests.Dataverse.Support;
using static ReportingSync.Tests.Dataverse.Support.ContactSample;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ReportingSync.Tests.Dataverse.Http;

/// <summary>Faults on the wire and error answers, against a real loopback server.</summary>
public sealed class TransportFaultTests : LoopbackSourceTests
{
    private StubResponse GoodPage => StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false, FullRow));

    private Task<ChangePage> Read(SyncCursor? cursor = null) => Sut.Source.ReadChangesAsync(Layout, cursor, CancellationToken.None);

    [Fact]
    public async Task Server_errors_are_retried_and_the_page_counts_every_attempt()
    {
        Stub.RespondInOrder(
            StubResponse.Error(500, "0x80040216", "An unexpected error occurred."),
            StubResponse.Error(502, "0x0", "Bad Gateway"),
            StubResponse.Error(504, "0x0", "Gateway Timeout"),
            GoodPage);

        var page = await Read();

        page.Upserts.Count.Should().Be(1);
        page.Requests.Should().Be(4);
        Sut.Logs.Lines.Count(l => l.Id.Id == 3003).Should().Be(3);
        Sut.Logs.Lines.Single(l => l.Id.Id == 3003 && l.Text.Contains("HTTP 500")).Text.Should().StartWith(
            "A request for contact failed (HTTP 500 Internal Server Error, code 0x80040216: An unexpected error occurred.); retry 1 of 3 in ");
    }

    [Fact]
    public async Task When_retries_run_out_the_caller_gets_SourceUnavailable_naming_the_host_and_the_last_answer()
    {
        Stub.RespondInOrder(StubResponse.Error(503, "0x80040216", "Service is busy"));

        var act = () => Read();

        var error = (await act.Should().ThrowAsync<SourceUnavailableException>()).Which;
        error.Message.Should().Be(
            $"Dataverse at {Stub.Url} did not answer a request for 'contact' after 4 attempts: it kept failing (last answer HTTP 503 Service Unavailable, code 0x80040216: Service is busy).");
        error.IsTransient.Should().BeTrue();
        Stub.Requests.Should().HaveCount(4, "MaxRetries is 3");
    }

    [Fact]
    public async Task A_refused_connection_fails_within_seconds_with_SourceUnavailable()
    {
        var port = Ports.Closed();
        await using var sut = SourceUnderTest.Create($"http://127.0.0.1:{port}", o => o.MaxRetries = 1);
        var clock = Stopwatch.StartNew();

        var act = () => sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<SourceUnavailableException>()).Which;
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        error.Message.Should().StartWith($"Dataverse at http://127.0.0.1:{port} did not answer a request for 'contact' after 2 attempts: it could not be reached (");
        error.InnerException.Should().BeOfType<HttpRequestException>();
    }

    [Fact]
    public async Task An_unresolvable_host_fails_within_seconds_with_SourceUnavailable()
    {
        using var transport = TransportUnderTest.Create("http://dataverse.invalid", new CountingTokenProvider(), o =>
        {
            o.MaxRetries = 1;
            o.ConnectTimeout = TimeSpan.FromSeconds(2);
        });
        var reader = new ChangeReader(new RowPageReader(transport), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var clock = Stopwatch.StartNew();

        var act = () => reader.ReadAsync(Layout, null, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<SourceUnavailableException>()).Which;
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        error.Message.Should().StartWith("Dataverse at http://dataverse.invalid did not answer a request for 'contact' after 2 attempts: it could not be reached (");
    }

    [Fact]
    public async Task A_body_cut_off_by_a_connection_reset_is_read_again()
    {
        Stub.RespondInOrder(GoodPage with { TruncateAt = 200 }, GoodPage);

        var page = await Read();

        page.Upserts.Count.Should().Be(1);
        page.Requests.Should().Be(2);
    }

    [Fact]
    public async Task A_complete_answer_holding_truncated_json_is_read_again()
    {
        var body = GoodPage.Body;
        Stub.RespondInOrder(StubResponse.Ok(body[..(body.Length / 2)]), GoodPage);

        var page = await Read();

        page.Upserts.Count.Should().Be(1);
        page.Requests.Should().Be(2);
    }

    [Fact]
    public async Task An_attempt_that_takes_longer_than_the_request_timeout_is_abandoned_and_retried()
    {
        await using var sut = SourceUnderTest.Create(Stub.Url, o => o.RequestTimeout = TimeSpan.FromSeconds(1));
        Stub.RespondInOrder(GoodPage with { Delay = TimeSpan.FromSeconds(4) }, GoodPage);

        var page = await sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None);

        page.Requests.Should().Be(2);
        sut.Logs.AllText.Should().Contain("No complete answer within 1 s (ReportingSync:Dataverse:RequestTimeout)");
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_an_outage()
    {
        Stub.RespondInOrder(GoodPage with { Delay = TimeSpan.FromSeconds(5) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => Sut.Source.ReadChangesAsync(Layout, null, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        Stub.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task An_expired_change_token_asks_for_a_reseed()
    {
        Stub.RespondInOrder(StubResponse.Error(400, "0x80044352", "Version stamp associated with the client has expired. Please perform a full sync."));

        var act = () => Read(SyncCursor.Delta(DeltaLink(Stub.Api)));

        var error = (await act.Should().ThrowAsync<ChangeTokenExpiredException>()).Which;
        error.Entity.Should().Be("contact");
        error.Message.Should().Be(
            "The change-tracking token for 'contact' has expired (0x80044352): Version stamp associated with the client has expired. Please perform a full sync.; a full re-seed is needed.");
        Stub.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_rejected_saved_link_asks_for_a_restart_of_the_read()
    {
        Stub.RespondInOrder(StubResponse.Error(400, "0x80060888", "Invalid skip token."));

        var act = () => Read(SyncCursor.Next(NextLink(Stub.Api)));

        var error = (await act.Should().ThrowAsync<CursorRejectedException>()).Which;
        error.Message.Should().Be("Dataverse rejected the saved link for 'contact' (HTTP 400): HTTP 400 Bad Request, code 0x80060888: Invalid skip token.");
        error.StatusCode.Should().Be(400);
    }

    [Theory]
    [InlineData("The entity 'contact' is not enabled for change tracking.")]
    [InlineData("Change tracking is not enabled for entity contact.")]
    public async Task A_table_without_change_tracking_is_reported_as_such(string message)
    {
        Stub.RespondInOrder(StubResponse.Error(400, "0x80044353", message));

        var act = () => Read();

        (await act.Should().ThrowAsync<ChangeTrackingDisabledException>()).Which.Entity.Should().Be("contact");
    }

    [Fact]
    public async Task A_bad_first_request_is_not_mistaken_for_disabled_change_tracking()
    {
        Stub.RespondInOrder(StubResponse.Error(400, "0x80060888", "The $filter query parameter isn't supported when Change Tracking is enabled."));

        var act = () => Read();

        var error = (await act.Should().ThrowAsync<SourceUnavailableException>()).Which;
        error.Message.Should().Be(
            $"Dataverse at {Stub.Url} refused the request for 'contact' (HTTP 400 Bad Request, code 0x80060888: The $filter query parameter isn't supported when Change Tracking is enabled.).");
        error.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task Forbidden_is_final_at_once()
    {
        Stub.RespondInOrder(StubResponse.Error(403, "0x80040220", "Principal user is missing prvReadContact privilege."));

        var act = () => Read();

        (await act.Should().ThrowAsync<SourceUnavailableException>()).Which.IsTransient.Should().BeFalse();
        Stub.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Unauthorized_drops_the_cached_token_and_tries_a_fresh_one()
    {
        var tokens = new CountingTokenProvider();
        using var transport = TransportUnderTest.Create(Stub.Url, tokens);
        var reader = new ChangeReader(new RowPageReader(transport), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Stub.RespondInOrder(StubResponse.Error(401, "0x80072560", "The user is not a member of the organization."), GoodPage);

        var page = await reader.ReadAsync(Layout, null, CancellationToken.None);

        page.Requests.Should().Be(2);
        tokens.Invalidations.Should().Be(1);
        Stub.Requests.Select(r => r.Header("Authorization")).Should().Equal("Bearer token-1", "Bearer token-2");
    }

    [Fact]
    public async Task Requests_throttles_and_retries_are_counted_per_entity()
    {
        var meter = Sut.Get<DataverseMetrics>().Meter;
        using var requests = new MetricCollector<long>(meter, "reportingsync.dataverse.requests");
        using var throttles = new MetricCollector<long>(meter, "reportingsync.dataverse.throttles");
        using var retries = new MetricCollector<long>(meter, "reportingsync.dataverse.retries");
        Stub.RespondInOrder(
            StubResponse.Throttled("0"),
            StubResponse.Error(503, "0x0", "busy"),
            GoodPage);

        await Read();

        static long Sum(MetricCollector<long> collector, Func<IReadOnlyDictionary<string, object?>, bool> where) =>
            collector.GetMeasurementSnapshot().Where(m => where(m.Tags)).Sum(m => m.Value);
        Sum(requests, t => (string?)t["entity"] == "contact").Should().Be(3);
        Sum(requests, t => t.TryGetValue("http.response.status_code", out var s) && (int)s! == 429).Should().Be(1);
        Sum(throttles, t => (string?)t["entity"] == "contact").Should().Be(1);
        Sum(retries, t => (string?)t["reason"] == "throttled").Should().Be(1);
        Sum(retries, t => (string?)t["reason"] == "http_503").Should().Be(1);
        Sut.Get<DataverseMetrics>().Meter.Name.Should().Be("ReportingSync.Dataverse");
    }
}
