using Microsoft.Extensions.Time.Testing;
using ReportingSync.Dataverse;

namespace ReportingSync.Tests.Dataverse.Protection;

/// <summary>Requests in the last five minutes, the window Dataverse counts in, on a fake clock.</summary>
public sealed class RecentRequestsTests
{
    [Fact]
    public void Requests_count_for_five_minutes_and_then_drop_out()
    {
        var clock = new FakeTimeProvider();
        var recent = new RecentRequests(clock);

        recent.Sent();
        recent.Sent();
        clock.Advance(TimeSpan.FromMinutes(2));
        recent.Sent();
        recent.Count.Should().Be(3);

        clock.Advance(TimeSpan.FromMinutes(3));
        recent.Count.Should().Be(1, "the first two are more than five minutes old");

        clock.Advance(TimeSpan.FromMinutes(10));
        recent.Count.Should().Be(0);
        recent.Sent();
        recent.Count.Should().Be(1, "a bucket used ten minutes ago starts again from zero");
    }

    [Fact]
    public void The_last_answer_is_remembered()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var recent = new RecentRequests(clock);
        recent.LastAnswer.Should().BeNull();

        recent.Answered();

        recent.LastAnswer.Should().Be(clock.GetUtcNow());
    }
}
