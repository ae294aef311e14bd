using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>
/// Microsoft's <see cref="FakeTimeProvider"/> that also says how many of its timers are still waiting, so a test can move
/// the clock only once the code under test is parked on the timer it means to fire (and not on, say, a request timeout).
/// </summary>
internal sealed class TimerCountingClock : FakeTimeProvider
{
    private readonly HashSet<object> _waiting = [];
    private readonly Lock _lock = new();

    public int PendingTimers
    {
        get { lock (_lock) { return _waiting.Count; } }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var token = new object();
        lock (_lock)
        {
            _waiting.Add(token);
        }

        var timer = base.CreateTimer(
            s =>
            {
                if (period == Timeout.InfiniteTimeSpan)
                {
                    Forget(token);
                }

                callback(s);
            },
            state,
            dueTime,
            period);
        return new Counted(timer, () => Forget(token));
    }

    private void Forget(object token)
    {
        lock (_lock)
        {
            _waiting.Remove(token);
        }
    }

    private sealed class Counted(ITimer inner, Action disposed) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            disposed();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            disposed();
            return inner.DisposeAsync();
        }
    }
}
