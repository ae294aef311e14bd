using ReportingSync.Dataverse;
using ReportingSync.Tests.Dataverse.Support;
using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.Tests.Dataverse.Protection;

/// <summary>The gate's rules on a fake clock: pauses, queued requests, the window and its ramp.</summary>
public sealed class ServiceProtectionGateTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _clock = new();

    private ServiceProtectionGate Gate(int max = 4, double baseSeconds = 1, double maxSeconds = 8) =>
        new(max, TimeSpan.FromSeconds(baseSeconds), TimeSpan.FromSeconds(maxSeconds), _clock);

    [Fact]
    public async Task After_a_throttle_nobody_enters_before_the_Retry_After_instant()
    {
        var gate = Gate();
        gate.OnThrottled(TimeSpan.FromSeconds(2));

        var entering = gate.EnterAsync(CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(1999));
        await Task.Delay(50);
        entering.IsCompleted.Should().BeFalse();

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        (await entering.WaitAsync(Soon)).Dispose();
    }

    [Fact]
    public async Task A_request_queued_for_a_slot_when_the_throttle_arrives_waits_for_the_pause_as_well()
    {
        var gate = Gate(max: 1);
        var first = await gate.EnterAsync(CancellationToken.None);
        var queued = gate.EnterAsync(CancellationToken.None).AsTask();
        queued.IsCompleted.Should().BeFalse();

        gate.OnThrottled(TimeSpan.FromSeconds(5));
        first.Dispose();

        // The hand-back runs on the thread pool: poll for it (a busy machine may take a while) instead of sleeping a guess.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (gate.InFlight != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        gate.InFlight.Should().Be(0, "the queued request handed its slot back while it waits");
        queued.IsCompleted.Should().BeFalse("the slot came free during the pause");

        _clock.Advance(TimeSpan.FromSeconds(5));
        (await queued.WaitAsync(Soon)).Dispose();
        gate.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task The_window_limits_requests_in_flight_and_frees_slots_in_arrival_order()
    {
        var gate = Gate(max: 2);
        var a = await gate.EnterAsync(CancellationToken.None);
        var b = await gate.EnterAsync(CancellationToken.None);
        var c = gate.EnterAsync(CancellationToken.None).AsTask();
        var d = gate.EnterAsync(CancellationToken.None).AsTask();
        gate.InFlight.Should().Be(2);

        a.Dispose();
        (await c.WaitAsync(Soon)).Dispose();
        d.IsCompleted.Should().BeFalse();
        b.Dispose();
        (await d.WaitAsync(Soon)).Dispose();
        gate.InFlight.Should().Be(0);
    }

    [Fact]
    public void After_a_throttle_the_window_restarts_at_one_and_widens_by_one_per_success()
    {
        var gate = Gate(max: 8);
        gate.Window.Should().Be(8);

        gate.OnThrottled(TimeSpan.Zero);
        gate.Window.Should().Be(1);
        for (var i = 0; i < 3; i++)
        {
            gate.OnSuccess(null);
        }

        gate.Window.Should().Be(4);
        for (var i = 0; i < 10; i++)
        {
            gate.OnSuccess(null);
        }

        gate.Window.Should().Be(8, "never above MaxConcurrency");
    }

    [Fact]
    public void The_dop_hint_caps_the_window_below_MaxConcurrency_but_never_raises_it_above()
    {
        var gate = Gate(max: 8);

        gate.OnSuccess(3);
        gate.Ceiling.Should().Be(3);
        gate.Window.Should().Be(3);

        gate.OnSuccess(50);
        gate.Ceiling.Should().Be(8);
        gate.Window.Should().Be(4, "a larger hint lets the window grow again, one success at a time");
    }

    [Fact]
    public void Without_Retry_After_the_pause_doubles_per_throttle_up_to_the_maximum_and_resets_after_a_success()
    {
        var gate = Gate(baseSeconds: 1, maxSeconds: 8);

        var pauses = Enumerable.Range(0, 5).Select(_ => gate.OnThrottled(null).Pause.TotalSeconds).ToList();
        pauses.Should().Equal(1, 2, 4, 8, 8);

        gate.OnSuccess(null);
        gate.OnThrottled(null).Pause.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_shorter_Retry_After_never_shortens_a_pause_in_force_and_a_long_one_is_honoured_in_full()
    {
        var gate = Gate();
        var start = _clock.GetUtcNow();

        gate.OnThrottled(TimeSpan.FromSeconds(10)).Extension.Should().Be(TimeSpan.FromSeconds(10));
        gate.OnThrottled(TimeSpan.FromSeconds(2)).Extension.Should().Be(TimeSpan.Zero);
        gate.PausedUntil.Should().Be(start + TimeSpan.FromSeconds(10));

        gate.OnThrottled(TimeSpan.FromSeconds(1800)).Pause.Should().Be(TimeSpan.FromSeconds(1800));
        gate.PausedUntil.Should().Be(start + TimeSpan.FromSeconds(1800));

        gate.OnThrottled(TimeSpan.MaxValue).Pause.Should().Be(TimeSpan.FromDays(1), "a garbled header must not overflow the clock");
    }

    [Fact]
    public async Task A_cancelled_queued_request_leaves_the_queue_without_taking_a_slot()
    {
        var gate = Gate(max: 1);
        var holder = await gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var queued = gate.EnterAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => queued).Should().ThrowAsync<OperationCanceledException>();
        holder.Dispose();

        gate.InFlight.Should().Be(0);
        var next = gate.EnterAsync(CancellationToken.None);
        next.IsCompleted.Should().BeTrue();
        (await next).Dispose();
    }

    [Fact]
    public async Task A_cancelled_wait_during_a_pause_throws_promptly()
    {
        var gate = Gate();
        gate.OnThrottled(TimeSpan.FromSeconds(60));
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => waiting.WaitAsync(Soon)).Should().ThrowAsync<OperationCanceledException>();
        gate.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task A_lease_disposed_twice_frees_one_slot()
    {
        var gate = Gate(max: 2);
        var lease = await gate.EnterAsync(CancellationToken.None);

        lease.Dispose();
        lease.Dispose();

        gate.InFlight.Should().Be(0);
    }
}
