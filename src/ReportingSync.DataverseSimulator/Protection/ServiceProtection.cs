using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.OData;

namespace ReportingSync.DataverseSimulator.Protection;

/// <summary>
/// Dataverse service-protection limits, per user (the Authorization header value, or one anonymous user): a sliding
/// window of admitted requests and a cap on concurrent requests. Refused requests do not count against the window.
/// Retry-After is the time until the oldest request in the window leaves it, rounded up to whole seconds, so a client
/// that waits exactly that long is admitted.
/// </summary>
internal sealed class ServiceProtection(ServiceProtectionOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserState> _users = new(StringComparer.Ordinal);
    private ServiceProtectionOptions _options = options.Clone();
    private int _rejections;

    /// <summary>A copy of the limits in force.</summary>
    public ServiceProtectionOptions Current
    {
        get
        {
            lock (_gate)
            {
                return _options.Clone();
            }
        }
    }

    /// <summary>How many requests were refused with 429 since start (or the last <see cref="Reset"/>).</summary>
    public int Rejections => Volatile.Read(ref _rejections);

    /// <summary>Changes the limits; request history is kept, so a lowered limit applies at once.</summary>
    public void Configure(Action<ServiceProtectionOptions> change)
    {
        lock (_gate)
        {
            var next = _options.Clone();
            change(next);
            _options = next;
        }
    }

    /// <summary>Forgets all request history and the rejection count.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _users.Clear();
            _rejections = 0;
        }
    }

    public Admission TryEnter(string? user)
    {
        var key = user ?? string.Empty;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var state = _users.TryGetValue(key, out var existing) ? existing : _users[key] = new UserState();
            var window = _options.Window;
            while (state.Admitted.Count > 0 && state.Admitted.Peek() <= now - window)
            {
                state.Admitted.Dequeue();
            }

            while (state.Refused.Count > 0 && state.Refused.Peek() <= now - window)
            {
                state.Refused.Dequeue();
            }

            if (_options.RequestsPerWindow is { } limit && state.Admitted.Count >= limit)
            {
                var wait = state.Admitted.Peek() + window - now + (_options.PressurePenalty * state.Refused.Count);
                return Refuse(state, now, ErrorCodes.RequestLimitExceeded,
                    $"Number of requests exceeded the limit of {limit} over time window of {(int)window.TotalSeconds} seconds.", wait);
            }

            if (_options.MaxConcurrency is { } maxConcurrency && state.InFlight >= maxConcurrency)
            {
                return Refuse(state, now, ErrorCodes.ConcurrencyLimitExceeded,
                    $"Number of concurrent requests exceeded the limit of {maxConcurrency}.", _options.ConcurrencyRetryAfter);
            }

            state.Admitted.Enqueue(now);
            state.InFlight++;
            return new Admission(() =>
            {
                lock (_gate)
                {
                    state.InFlight--;
                }
            });
        }
    }

    private Admission Refuse(UserState state, DateTimeOffset now, string code, string message, TimeSpan wait)
    {
        state.Refused.Enqueue(now);
        _rejections++;
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        return new Admission(null, code, message, TimeSpan.FromSeconds(seconds));
    }

    private sealed class UserState
    {
        public Queue<DateTimeOffset> Admitted { get; } = new();

        public Queue<DateTimeOffset> Refused { get; } = new();

        public int InFlight { get; set; }
    }
}
