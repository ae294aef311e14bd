using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReportingSync.Engine;
using ReportingSync.Target;

namespace ReportingSync.Tests.Engine;

public sealed class PageCommitRetryTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<DateTimeOffset> _attemptTimes = [];
    private int _attempts;

    [Fact]
    public async Task A_transient_failure_is_tried_again_after_1_2_4_and_8_seconds_then_left_to_the_entity_backoff()
    {
        var commit = PageCommitRetry.RunAsync(() => Fail<int>(transient: true), "contact", _time, NullLogger.Instance);

        // Drive the fake clock in small steps (each retry registers its delay from a pool thread).
        while (!commit.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }

        (await commit.Awaiting(c => c).Should().ThrowAsync<TargetUnavailableException>()).Which.IsTransient.Should().BeTrue();
        var gaps = _attemptTimes.Zip(_attemptTimes.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        gaps.Should().HaveCount(4);
        gaps.Zip(new[] { 1.0, 2.0, 4.0, 8.0 }).Should().OnlyContain(g => g.First >= g.Second && g.First < g.Second + 0.5, "each retry waits its backoff, no more");
    }

    [Fact]
    public async Task A_commit_that_succeeds_on_the_second_attempt_returns_its_result()
    {
        var commit = PageCommitRetry.RunAsync(() => ++_attempts == 1 ? Fail<int>(transient: true, count: false) : Task.FromResult(42), "contact", _time, NullLogger.Instance);

        _time.Advance(TimeSpan.FromSeconds(1));

        (await commit).Should().Be(42);
        _attempts.Should().Be(2);
    }

    [Fact]
    public async Task A_failure_that_does_not_pass_with_time_is_not_retried()
    {
        var commit = PageCommitRetry.RunAsync(() => Fail<int>(transient: false), "contact", _time, NullLogger.Instance);

        await commit.Awaiting(c => c).Should().ThrowAsync<TargetUnavailableException>();
        _attempts.Should().Be(1);
    }

    private Task<T> Fail<T>(bool transient, bool count = true)
    {
        if (count)
        {
            Interlocked.Increment(ref _attempts);
            lock (_attemptTimes)
            {
                _attemptTimes.Add(_time.GetUtcNow());
            }
        }

        return Task.FromException<T>(new TargetUnavailableException("The reporting database is unavailable: deadlock victim (1205)", isTransient: transient));
    }
}
