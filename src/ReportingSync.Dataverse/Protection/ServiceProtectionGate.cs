namespace ReportingSync.Dataverse;

/// <summary>
/// The one door every Dataverse request passes, shared by all entity loops (Dataverse counts limits per user, not per
/// table). It does three things:
/// <list type="bullet">
/// <item>limits requests in flight to a window of at most <see cref="DataverseOptions.MaxConcurrency"/>, lowered to
/// <c>x-ms-dop-hint</c> when Dataverse suggests less;</item>
/// <item>after any HTTP 429 pauses everyone until the Retry-After instant (or an exponential back-off when the
/// header is missing). The pause is checked again after a request got its slot, right before it is sent, so requests
/// that were queued when the 429 arrived wait too;</item>
/// <item>after a throttle restarts the window at 1 and widens it by one per successful response (so it doubles per
/// round of successes, like TCP slow start) up to the ceiling.</item>
/// </list>
/// </summary>
internal sealed class ServiceProtectionGate
{
    /// <summary>
    /// Only a guard against a garbled header (an instant past <see cref="DateTimeOffset.MaxValue"/>): Dataverse documents no
    /// maximum Retry-After and lengthens it while a client keeps sending demanding requests, so a long one is honoured in
    /// full; resuming early would only earn another 429 and a longer pause.
    /// </summary>
    internal static readonly TimeSpan MaxPause = TimeSpan.FromDays(1);

    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private readonly TimeProvider _time;
    private readonly int _maxConcurrency;
    private readonly TimeSpan _backoffBase;
    private readonly TimeSpan _backoffMax;
    private int _inFlight;
    private int _window;
    private int _dopHint;
    private int _consecutiveThrottles;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    public ServiceProtectionGate(int maxConcurrency, TimeSpan backoffBase, TimeSpan backoffMax, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _maxConcurrency = maxConcurrency;
        _backoffBase = backoffBase > TimeSpan.Zero ? backoffBase : TimeSpan.FromSeconds(1);
        _backoffMax = backoffMax >= _backoffBase ? backoffMax : _backoffBase;
        _time = time;
        _window = maxConcurrency;
    }

    /// <summary>Requests allowed in flight right now.</summary>
    public int Window
    {
        get { lock (_lock) { return _window; } }
    }

    public int InFlight
    {
        get { lock (_lock) { return _inFlight; } }
    }

    /// <summary>The window's upper bound: MaxConcurrency, or the dop hint when Dataverse suggested fewer.</summary>
    public int Ceiling
    {
        get { lock (_lock) { return CeilingUnlocked; } }
    }

    public DateTimeOffset PausedUntil
    {
        get { lock (_lock) { return _pausedUntil; } }
    }

    private int CeilingUnlocked => _dopHint > 0 ? Math.Min(_dopHint, _maxConcurrency) : _maxConcurrency;

    /// <summary>
    /// Waits until no pause is in force and a slot is free; dispose the lease when the response has been read.
    /// </summary>
    public async ValueTask<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);
            await AcquireSlotAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_time.GetUtcNow() >= _pausedUntil)
                {
                    return new Lease(this);
                }
            }

            // A 429 arrived while this request queued for its slot: hand the slot back and wait out the pause.
            Release();
        }
    }

    /// <summary>
    /// Records an HTTP 429 and pauses every request. Returns the pause asked for (Retry-After, else back-off) and how much
    /// it extended a pause already in force (what the throttled-time metric counts).
    /// </summary>
    public (TimeSpan Pause, TimeSpan Extension) OnThrottled(TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            _consecutiveThrottles++;
            var pause = retryAfter ?? Backoff(_consecutiveThrottles);
            if (pause > MaxPause)
            {
                pause = MaxPause;
            }

            var now = _time.GetUtcNow();
            var until = now + pause;
            var previous = _pausedUntil > now ? _pausedUntil : now;
            _window = 1;
            if (until <= previous)
            {
                return (pause, TimeSpan.Zero);
            }

            _pausedUntil = until;
            return (pause, until - previous);
        }
    }

    /// <summary>Records a successful response: widens the window by one towards the ceiling and applies the dop hint.</summary>
    public void OnSuccess(int? dopHint)
    {
        lock (_lock)
        {
            _consecutiveThrottles = 0;
            if (dopHint is > 0)
            {
                _dopHint = dopHint.Value;
            }

            var ceiling = CeilingUnlocked;
            _window = _window < ceiling ? _window + 1 : ceiling;
            GrantUnlocked();
        }
    }

    private TimeSpan Backoff(int throttles)
    {
        var factor = Math.Pow(2, Math.Min(throttles - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(_backoffBase.Ticks * factor, _backoffMax.Ticks));
    }

    private async ValueTask WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                wait = _pausedUntil - _time.GetUtcNow();
            }

            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            // Loop: another 429 may have extended the pause while we slept.
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask AcquireSlotAsync(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _inFlight < _window)
            {
                _inFlight++;
                return ValueTask.CompletedTask;
            }

            node = _waiters.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return WaitForSlotAsync(node, cancellationToken);
    }

    private async ValueTask WaitForSlotAsync(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (gate, waiter) = ((ServiceProtectionGate, LinkedListNode<TaskCompletionSource>))state!;
                lock (gate._lock)
                {
                    // Still queued: leave the queue. Already granted: keep the slot; the caller's lease returns it.
                    if (waiter.List is not null)
                    {
                        gate._waiters.Remove(waiter);
                        waiter.Value.TrySetCanceled(token);
                    }
                }
            },
            (this, node)).ConfigureAwait(false);
        await node.Value.Task.ConfigureAwait(false);
    }

    private void Release()
    {
        lock (_lock)
        {
            _inFlight--;
            GrantUnlocked();
        }
    }

    private void GrantUnlocked()
    {
        while (_inFlight < _window && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            _inFlight++;
            first.Value.TrySetResult();
        }
    }

    /// <summary>A slot in the window; disposing it frees the slot for the next queued request.</summary>
    internal sealed class Lease(ServiceProtectionGate gate) : IDisposable
    {
        private ServiceProtectionGate? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}
