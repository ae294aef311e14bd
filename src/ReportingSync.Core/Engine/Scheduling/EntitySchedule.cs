namespace ReportingSync.Engine.Scheduling;

/// <summary>
/// When one entity reads next, and how often it reads while nothing changes. A read that found n changes divides the
/// interval by n (by 2 at least), down to the fastest; each read that found none doubles it, up to the slowest; a hint
/// resets it to the fastest and wakes the entity at once. So a busy table is read every second or so (the first read
/// of a burst finds many changes and brings it there at once), a table with a change now and then is read about as
/// often as it changes, and a quiet one costs a request a minute.
/// </summary>
/// <remarks>
/// Resetting to the fastest on every change cost more than it bought: a table with one change a minute was read six
/// or seven times a minute (1, 2, 4 ... 32 s after each change), so 52 such tables took more than half of the default
/// request budget for lags of a few seconds on tables nobody watches by the second.
/// </remarks>
internal sealed class EntitySchedule(TimeSpan fastest, TimeSpan slowest, TimeProvider time)
{
    private readonly WakeSignal _wake = new();
    private readonly Lock _lock = new();
    private TimeSpan _interval;
    private long _due = time.GetTimestamp();

    /// <summary>The interval the entity polls at now (the fastest until its first read).</summary>
    public TimeSpan Interval
    {
        get { lock (_lock) { return _interval == TimeSpan.Zero ? fastest : _interval; } }
    }

    /// <summary>After a delta read that found <paramref name="changes"/> rows changed or deleted: sooner when it found some, later when it found none.</summary>
    public void AfterRead(long changes)
    {
        lock (_lock)
        {
            _interval = _interval == TimeSpan.Zero ? fastest
                : changes > 0 ? TimeSpan.FromTicks(Math.Max(_interval.Ticks / Math.Max(2, changes), fastest.Ticks))
                : TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, slowest.Ticks));
            _due = time.GetTimestamp() + Ticks(_interval);
        }
    }

    /// <summary>Reads again after <paramref name="delay"/> whatever the interval (a seed just finished, a failure's backoff, a lease to ask for again).</summary>
    public void DueIn(TimeSpan delay)
    {
        lock (_lock)
        {
            _due = time.GetTimestamp() + Ticks(delay);
        }
    }

    /// <summary>A change was announced (a push hint, a command): read now, and at the fastest pace again.</summary>
    public void Hint()
    {
        lock (_lock)
        {
            _interval = fastest;
        }

        _wake.Set();
    }

    /// <summary>Waits until the entity is due, or hinted; true when a hint woke it early.</summary>
    public Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        long due;
        lock (_lock)
        {
            due = _due;
        }

        var delay = time.GetElapsedTime(time.GetTimestamp(), due);
        return _wake.WaitAsync(delay, time, cancellationToken);
    }

    private long Ticks(TimeSpan delay) => (long)(delay.TotalSeconds * time.TimestampFrequency);
}
