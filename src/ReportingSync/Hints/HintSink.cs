using Microsoft.Extensions.Logging;

namespace ReportingSync.Hints;

/// <summary>
/// Turns hints into wake-ups. The first hint for an entity wakes it at once; further hints within
/// <see cref="HintOptions.CoalesceWindow"/> are folded into one more wake-up at the end of the window, so a burst costs at
/// most two delta reads however many messages it brings. Unknown entities are ignored (Debug log). A wake-up only makes
/// the entity read its change-tracking delta now: a hint never carries data, so losing or repeating one changes nothing
/// in the target.
/// </summary>
internal sealed class HintSink : IDisposable
{
    private readonly Func<string, bool> _wake;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<string, Window> _windows = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private long _received;
    private long _ignored;
    private long _wakes;
    private bool _disposed;

    /// <param name="wake">Wakes an entity's loop; false when the entity is not configured (<c>SyncSupervisor.Wake</c>).</param>
    public HintSink(Func<string, bool> wake, TimeSpan window, TimeProvider time, ILogger<HintSink> log)
    {
        _wake = wake;
        _window = window;
        _time = time;
        _log = log;
    }

    /// <summary>Hints offered so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Hints for entities that are not configured.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Wake-ups passed on to the engine.</summary>
    public long Wakes => Interlocked.Read(ref _wakes);

    /// <summary>Queues a hint; returns false when the entity is not configured. Never blocks, never throws.</summary>
    public bool Offer(string entity, string via)
    {
        Interlocked.Increment(ref _received);
        if (_window <= TimeSpan.Zero)
        {
            return Wake(entity, via);
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            if (_windows.TryGetValue(entity, out var open))
            {
                open.Pending = true;
                HintLog.Coalesced(_log, entity, via);
                return true;
            }
        }

        if (!Wake(entity, via))
        {
            return false;
        }

        lock (_gate)
        {
            if (!_disposed && !_windows.ContainsKey(entity))
            {
                var window = new Window(entity, this);
                window.Timer = _time.CreateTimer(static state => ((Window)state!).Sink.Close((Window)state!), window, _window, Timeout.InfiniteTimeSpan);
                _windows[entity] = window;
            }
        }

        return true;
    }

    private void Close(Window window)
    {
        bool again;
        lock (_gate)
        {
            again = window.Pending && !_disposed;
            window.Pending = false;
            if (!again)
            {
                _windows.Remove(window.Entity);
                window.Timer?.Dispose();
                return;
            }
        }

        // Hints arrived during the window: one more read now, and keep the window open for what follows.
        Wake(window.Entity, "coalesced");
        window.Timer?.Change(_window, Timeout.InfiniteTimeSpan);
    }

    private bool Wake(string entity, string via)
    {
        if (!_wake(entity))
        {
            Interlocked.Increment(ref _ignored);
            HintLog.UnknownEntity(_log, entity, via);
            return false;
        }

        Interlocked.Increment(ref _wakes);
        HintLog.Woken(_log, entity, via);
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var window in _windows.Values)
            {
                window.Timer?.Dispose();
            }

            _windows.Clear();
        }
    }

    private sealed class Window(string entity, HintSink sink)
    {
        public string Entity { get; } = entity;

        public HintSink Sink { get; } = sink;

        public bool Pending { get; set; }

        public ITimer? Timer { get; set; }
    }
}
