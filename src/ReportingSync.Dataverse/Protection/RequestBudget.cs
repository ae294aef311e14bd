using System.Threading.RateLimiting;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// The ceiling on requests per second to Dataverse (<see cref="DataverseOptions.RequestBudgetPerSecond"/>) for every
/// request the client sends: delta reads, metadata, seeds, reconciliation, WhoAmI, retries included. The bucket is the
/// BCL's <see cref="TokenBucketRateLimiter"/> (one second of budget may go at once, refilled evenly); what it lacks is
/// priority, so requests wait here in two queues and each token that comes free goes to the oldest streaming request,
/// else to the oldest background one. A seed or a reconciliation therefore never holds a delta read back by more than
/// the tokens already handed out.
/// </summary>
/// <remarks>
/// The BCL limiter reads the monotonic clock and its own timer, not a <see cref="TimeProvider"/> (dotnet/runtime#106447),
/// so the budget runs on real time even where a test fakes the client's clock; tests of it use real seconds.
/// </remarks>
internal sealed class RequestBudget : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _streaming = new();
    private readonly LinkedList<TaskCompletionSource> _background = new();
    private bool _pumping;

    public RequestBudget(double perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        PerSecond = perSecond;

        // Refilled at least every 100 ms in equal steps: one timer tick per token would mean a thousand ticks a second at
        // high budgets, and one big step a second would let a second's worth through in a burst twice over.
        var step = (int)Math.Ceiling(perSecond / 10);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(step, (int)Math.Ceiling(perSecond)),
            TokensPerPeriod = step,
            ReplenishmentPeriod = TimeSpan.FromSeconds(step / perSecond),
            AutoReplenishment = true,

            // Only the pump below ever waits in the limiter's own queue.
            QueueLimit = 1,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Requests per second allowed.</summary>
    public double PerSecond { get; }

    /// <summary>Requests waiting for a token, by priority.</summary>
    public int Waiting(SourcePriority priority)
    {
        lock (_lock)
        {
            return Queue(priority).Count;
        }
    }

    /// <summary>Waits until the request may be sent. Costs one token; a token is never given back.</summary>
    public ValueTask EnterAsync(SourcePriority priority, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LinkedListNode<TaskCompletionSource> node;
        var startPump = false;
        lock (_lock)
        {
            if (!_pumping)
            {
                using var lease = _bucket.AttemptAcquire(1);
                if (lease.IsAcquired)
                {
                    return ValueTask.CompletedTask;
                }

                _pumping = startPump = true;
            }

            node = Queue(priority).AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        if (startPump)
        {
            _ = Task.Run(PumpAsync, CancellationToken.None);
        }

        return WaitAsync(node, cancellationToken);
    }

    public void Dispose() => _bucket.Dispose();

    private LinkedList<TaskCompletionSource> Queue(SourcePriority priority) => priority == SourcePriority.Streaming ? _streaming : _background;

    /// <summary>Takes tokens from the bucket one at a time while anyone waits, and hands each to the first in line.</summary>
    private async Task PumpAsync()
    {
        while (true)
        {
            lock (_lock)
            {
                if (_streaming.Count == 0 && _background.Count == 0)
                {
                    _pumping = false;
                    return;
                }
            }

            RateLimitLease lease;
            try
            {
                lease = await _bucket.AcquireAsync(1).ConfigureAwait(false);
            }
            catch (ObjectDisposedException disposed)
            {
                FailAll(disposed);
                return;
            }

            using (lease)
            {
                if (!lease.IsAcquired)
                {
                    FailAll(new ObjectDisposedException(nameof(RequestBudget)));
                    return;
                }

                lock (_lock)
                {
                    // A waiter that gave up meanwhile leaves no one for this token; it is simply not used.
                    if ((_streaming.First ?? _background.First) is { } next)
                    {
                        next.List!.Remove(next);
                        next.Value.TrySetResult();
                    }
                }
            }
        }
    }

    private void FailAll(Exception error)
    {
        lock (_lock)
        {
            foreach (var waiter in _streaming.Concat(_background))
            {
                waiter.TrySetException(error);
            }

            _streaming.Clear();
            _background.Clear();
            _pumping = false;
        }
    }

    private async ValueTask WaitAsync(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (budget, waiter) = ((RequestBudget, LinkedListNode<TaskCompletionSource>))state!;
                lock (budget._lock)
                {
                    // Still queued: leave the queue. Already granted: the token is spent either way.
                    if (waiter.List is not null)
                    {
                        waiter.List.Remove(waiter);
                        waiter.Value.TrySetCanceled(token);
                    }
                }
            },
            (this, node)).ConfigureAwait(false);
        await node.Value.Task.ConfigureAwait(false);
    }
}
