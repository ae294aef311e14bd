namespace ReportingSync.Dataverse;

/// <summary>
/// Counts the requests sent in the last five minutes, the window in which Dataverse counts an application user's
/// requests, in one-second buckets on the <see cref="TimeProvider"/>. Also remembers the last successful answer, which
/// tells readiness that Dataverse is reachable without spending a request on it.
/// </summary>
internal sealed class RecentRequests(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private const int Buckets = 300;

    private readonly Lock _lock = new();
    private readonly long[] _second = new long[Buckets];
    private readonly int[] _count = new int[Buckets];
    private DateTimeOffset? _lastAnswer;

    /// <summary>A request went out (each attempt).</summary>
    public void Sent()
    {
        var now = Second();
        lock (_lock)
        {
            var slot = (int)(now % Buckets);
            if (_second[slot] != now)
            {
                _second[slot] = now;
                _count[slot] = 0;
            }

            _count[slot]++;
        }
    }

    /// <summary>A request was answered with a success status.</summary>
    public void Answered()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _lastAnswer = now;
        }
    }

    /// <summary>Requests sent in the last <see cref="Window"/>.</summary>
    public long Count
    {
        get
        {
            var now = Second();
            long total = 0;
            lock (_lock)
            {
                for (var slot = 0; slot < Buckets; slot++)
                {
                    if (now - _second[slot] < Buckets)
                    {
                        total += _count[slot];
                    }
                }
            }

            return total;
        }
    }

    public DateTimeOffset? LastAnswer
    {
        get { lock (_lock) { return _lastAnswer; } }
    }

    /// <summary>Whole seconds on the monotonic clock (a bucket never used holds no requests, whatever second it says).</summary>
    private long Second() => (long)(time.GetTimestamp() / (double)time.TimestampFrequency);
}
