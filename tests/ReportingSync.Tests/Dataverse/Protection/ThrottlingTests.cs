using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Tests.Dataverse.Support;
using static ReportingSync.Tests.Dataverse.Support.ContactSample;

namespace ReportingSync.Tests.Dataverse.Protection;

/// <summary>HTTP 429 against a real loopback server, with several entity loops sharing one source.</summary>
public sealed class ThrottlingTests : LoopbackSourceTests
{
    [Fact]
    public async Task A_429_with_Retry_After_pauses_every_loop_including_queued_requests_until_it_has_elapsed()
    {
        const int Loops = 4;
        const int PagesPerLoop = 6;
        const int ThrottledRequest = 6;
        await using var sut = SourceUnderTest.Create(Stub.Url, o => o.MaxConcurrency = 2); // two loops always queue
        Stub.Respond(r =>
        {
            if (r.Index == ThrottledRequest)
            {
                return StubResponse.Throttled("2");
            }

            var loop = r.RawQueryOption("loop");
            var page = int.Parse(r.RawQueryOption("page")!);
            var next = page + 1 < PagesPerLoop ? $"{Stub.Api}contacts?loop={loop}&page={page + 1}" : null;
            var body = Page(Stub.Api, next, next is null ? DeltaLink(Stub.Api) : null, false, FullRow);
            return StubResponse.Ok(body) with { Delay = TimeSpan.FromMilliseconds(20) };
        });

        var loops = Enumerable.Range(0, Loops).Select(async loop =>
        {
            var cursor = SyncCursor.Next($"{Stub.Api}contacts?loop={loop}&page=0");
            var pages = 0;
            while (!cursor.IsDelta)
            {
                cursor = (await sut.Source.ReadChangesAsync(Layout, cursor, CancellationToken.None)).Next;
                pages++;
            }

            return pages;
        }).ToList();
        var pagesRead = await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30));

        pagesRead.Should().OnlyContain(p => p == PagesPerLoop, "every loop finishes its read");
        var requests = Stub.Requests;
        requests.Should().HaveCount((Loops * PagesPerLoop) + 1, "only the throttled request is sent twice");

        var throttledAt = requests[ThrottledRequest].ArrivedAt;
        var resumeAt = throttledAt + TimeSpan.FromSeconds(2);

        // Requests the client sent before it could have read the 429 may still arrive just after it.
        var straggling = TimeSpan.FromMilliseconds(250);
        requests.Count(r => r.ArrivedAt > throttledAt && r.ArrivedAt <= throttledAt + straggling).Should().BeLessThanOrEqualTo(1);
        var later = requests.Where(r => r.ArrivedAt > throttledAt + straggling).ToList();
        later.Should().NotBeEmpty();
        later.Should().OnlyContain(
            r => r.ArrivedAt >= resumeAt - TimeSpan.FromMilliseconds(15),
            $"no request may arrive between {throttledAt + straggling} and {resumeAt}; arrivals: {string.Join(", ", later.Select(r => r.ArrivedAt))}");
        sut.Logs.Lines.Should().ContainSingle(l => l.Id.Id == 3002).Which.Text.Should().StartWith(
            "Dataverse throttled a request for contact (HTTP 429, code 0x80072322); every request pauses for 2 s (Retry-After).");
    }

    [Fact]
    public async Task A_429_without_Retry_After_backs_off_and_then_succeeds()
    {
        await using var sut = SourceUnderTest.Create(Stub.Url, o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
            o.RetryMaxDelay = TimeSpan.FromSeconds(1);
        });
        Stub.RespondInOrder(StubResponse.Throttled(null), StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false, FullRow)));

        var page = await sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None);

        page.Requests.Should().Be(2);
        var requests = Stub.Requests;
        (requests[1].ArrivedAt - requests[0].ArrivedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190));
    }

    [Fact]
    public async Task Throttles_do_not_use_up_the_fault_retries_but_have_their_own_budget()
    {
        await using var sut = SourceUnderTest.Create(Stub.Url, o =>
        {
            o.MaxRetries = 1;
            o.MaxThrottleRetries = 3;
        });
        Stub.RespondInOrder(
            StubResponse.Throttled("0"),
            StubResponse.Error(503, "0x0", "busy"),
            StubResponse.Throttled("0"),
            StubResponse.Error(503, "0x0", "busy"),
            StubResponse.Ok(Page(Stub.Api, null, DeltaLink(Stub.Api), false, FullRow)));

        var page = await sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None);

        page.Requests.Should().Be(5);
    }

    [Fact]
    public async Task When_the_throttle_budget_is_used_up_the_caller_is_told_and_nothing_is_dropped_silently()
    {
        await using var sut = SourceUnderTest.Create(Stub.Url, o => o.MaxThrottleRetries = 2);
        Stub.RespondInOrder(StubResponse.Throttled("0"));

        var act = () => sut.Source.ReadChangesAsync(Layout, null, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<SourceUnavailableException>()).Which;
        error.Message.Should().Be(
            $"Dataverse at {Stub.Url} did not answer a request for 'contact' after 3 attempts: it kept throttling (last answer HTTP 429 Too Many Requests, code 0x80072322: Number of requests exceeded the limit of 6000 over time window of 300 seconds.); ReportingSync:Dataverse:MaxThrottleRetries is used up.");
        error.IsTransient.Should().BeTrue();
        Stub.Requests.Should().HaveCount(3);
    }
}
