using ReportingSync.Dataverse;
using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.Tests.Dataverse.Support;

namespace ReportingSync.Tests.Dataverse.Protection;

/// <summary>
/// Issue 18.9: Dataverse documents no maximum Retry-After and lengthens it under sustained pressure. The client used to
/// stop waiting after 300 s and send again into the same refusal; now it waits as long as it was asked to.
/// </summary>
public sealed class LongRetryAfterTests
{
    [Fact]
    public async Task A_Retry_After_of_400_seconds_from_the_simulator_holds_every_request_back_for_400_seconds()
    {
        var clock = new TimerCountingClock();
        await using var dataverse = await SimulatedDataverse.StartAsync(clientTime: clock);
        var layout = await dataverse.LayoutAsync("account", "name");
        dataverse.Host.RequestLog.Reset();
        dataverse.Host.Faults.Add(new FaultRule { Kind = FaultKind.TooManyRequests, Count = 1, RetryAfter = TimeSpan.FromSeconds(400) });

        var gate = dataverse.Sut.Get<ServiceProtectionGate>();

        var read = dataverse.Source.ReadChangesAsync(layout, null, CancellationToken.None);

        // The clock may only move once the 429 is in force and the retry waits at the gate (its only timer): moved
        // earlier, it would fire the first attempt's request timeout or start the pause later than 400 s from now.
        await WaitUntilAsync(() => gate.PausedUntil > clock.GetUtcNow() && clock.PendingTimers == 1);

        clock.Advance(TimeSpan.FromSeconds(301));
        await Task.Delay(300);
        dataverse.Host.RequestLog.Entries.Should().ContainSingle("nothing may be sent 301 s into a 400 s Retry-After");
        read.IsCompleted.Should().BeFalse();

        clock.Advance(TimeSpan.FromSeconds(99));
        var page = await read.WaitAsync(TimeSpan.FromSeconds(30));

        page.Requests.Should().Be(2);
        dataverse.Host.RequestLog.Query(kind: RequestKind.Initial).Select(e => e.StatusCode).Should().Equal(429, 200);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 20)
        {
            waited.Should().BeLessThan(10_000, "the client should have reached the pause by now");
            await Task.Delay(20);
        }
    }
}
