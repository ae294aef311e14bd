using Microsoft.Extensions.Logging.Abstractions;
using ReportingSync.Hints;
using ReportingSync.Tests.Dataverse.Support;
using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.Tests.Hints;

public sealed class HintSinkTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _woken = [];

    private HintSink CreateSink(TimeSpan window) => new(
        entity =>
        {
            if (entity is not ("contact" or "account"))
            {
                return false;
            }

            lock (_woken)
            {
                _woken.Add(entity);
            }

            return true;
        },
        window,
        _time,
        NullLogger<HintSink>.Instance);

    [Fact]
    public void The_first_hint_wakes_at_once_and_a_burst_in_the_window_becomes_one_more_wake_up()
    {
        using var sink = CreateSink(TimeSpan.FromMilliseconds(200));

        sink.Offer("contact", "test").Should().BeTrue();
        _woken.Should().Equal("contact");

        for (var i = 0; i < 50; i++)
        {
            sink.Offer("contact", "test");
        }

        _woken.Should().HaveCount(1, "hints inside the window wait for its end");
        _time.Advance(TimeSpan.FromMilliseconds(200));
        _woken.Should().HaveCount(2, "the burst becomes exactly one more delta read");

        _time.Advance(TimeSpan.FromMilliseconds(200));
        _woken.Should().HaveCount(2, "a quiet window closes without a wake-up");

        sink.Offer("contact", "test");
        _woken.Should().HaveCount(3, "after the window closed the next hint wakes at once again");
        sink.Received.Should().Be(52);
        sink.Wakes.Should().Be(3);
    }

    [Fact]
    public void Entities_have_windows_of_their_own()
    {
        using var sink = CreateSink(TimeSpan.FromMilliseconds(200));
        sink.Offer("contact", "test");
        sink.Offer("account", "test");
        _woken.Should().Equal("contact", "account");
    }

    [Fact]
    public void A_hint_for_an_entity_that_is_not_configured_is_ignored()
    {
        using var sink = CreateSink(TimeSpan.FromMilliseconds(200));
        sink.Offer("dfeta_sanction", "test").Should().BeFalse();
        sink.Offer("dfeta_sanction", "test").Should().BeFalse();
        _woken.Should().BeEmpty();
        sink.Ignored.Should().Be(2, "no window is opened for an unknown entity, so the second hint is not folded into one");
    }

    [Fact]
    public void A_zero_window_wakes_for_every_hint()
    {
        using var sink = CreateSink(TimeSpan.Zero);
        sink.Offer("contact", "test");
        sink.Offer("contact", "test");
        _woken.Should().HaveCount(2);
    }
}
