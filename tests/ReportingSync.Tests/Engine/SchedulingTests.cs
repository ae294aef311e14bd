using Microsoft.Extensions.Time.Testing;
using ReportingSync.Engine;
using ReportingSync.Engine.Scheduling;

namespace ReportingSync.Tests.Engine;

/// <summary>When entities read next: adaptive intervals between the fastest and the slowest poll, hints, fixed delays.</summary>
public sealed class SchedulingTests
{
    private static readonly SyncOptions Options = new()
    {
        Entities = [new EntityOptions { Name = "contact" }, new EntityOptions { Name = "account" }],
        MinPollInterval = TimeSpan.FromSeconds(1),
        MaxPollInterval = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public void Empty_reads_double_the_interval_up_to_the_slowest_and_a_read_with_changes_divides_it_by_their_number()
    {
        var scheduler = new PollScheduler(Options, new FakeTimeProvider());
        var contact = scheduler.For("contact");

        var intervals = new List<double>();
        for (var read = 0; read < 9; read++)
        {
            contact.AfterRead(changes: 0);
            intervals.Add(contact.Interval.TotalSeconds);
        }

        intervals.Should().Equal(1, 2, 4, 8, 16, 32, 60, 60, 60);
        contact.AfterRead(changes: 1);
        contact.Interval.Should().Be(TimeSpan.FromSeconds(30), "one change halves it: a change a minute is read about twice a minute");
        contact.AfterRead(changes: 3);
        contact.Interval.Should().Be(TimeSpan.FromSeconds(10));
        contact.AfterRead(changes: 0);
        contact.Interval.Should().Be(TimeSpan.FromSeconds(20));
        contact.AfterRead(changes: 1200);
        contact.Interval.Should().Be(TimeSpan.FromSeconds(1), "a burst brings the fastest pace at once, and never below it");
        scheduler.For("account").Interval.Should().Be(TimeSpan.FromSeconds(1), "each entity has its own schedule");
    }

    [Fact]
    public async Task An_entity_waits_its_interval_on_the_clock_and_a_hint_wakes_it_at_once()
    {
        var time = new FakeTimeProvider();
        var scheduler = new PollScheduler(Options, time);
        var contact = scheduler.For("contact");
        for (var read = 0; read < 6; read++)
        {
            contact.AfterRead(changes: 0);
        }

        var waiting = contact.WaitAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(31));
        waiting.IsCompleted.Should().BeFalse("the interval is 32 s after six empty reads");
        time.Advance(TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        contact.AfterRead(changes: 0);
        var hinted = contact.WaitAsync(CancellationToken.None);
        scheduler.Hint("contact").Should().BeTrue();
        (await hinted.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeTrue("woken early");
        contact.Interval.Should().Be(TimeSpan.FromSeconds(1), "a hint brings the fastest pace back");
        scheduler.Hint("lead").Should().BeFalse("not configured");
    }

    [Fact]
    public void A_fixed_poll_interval_pins_both_ends()
    {
        var fixedPoll = new SyncOptions { Entities = Options.Entities, PollInterval = TimeSpan.FromSeconds(5) };
        var contact = new PollScheduler(fixedPoll, new FakeTimeProvider()).For("contact");

        contact.AfterRead(changes: 0);
        contact.AfterRead(changes: 0);

        contact.Interval.Should().Be(TimeSpan.FromSeconds(5));
    }
}
