namespace ReportingSync.DataverseSimulator.Hints;

/// <summary>
/// One queue of the Service Bus stand-in: first-in first-out, peek-lock with a lock duration (an expired lock makes the
/// message available again with a higher delivery count), complete, unlock, dead-lettering after the maximum delivery
/// count. Thread-safe.
/// </summary>
internal sealed class ServiceBusQueue(string name, TimeSpan lockDuration, int maxDeliveryCount, TimeProvider time)
{
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly LinkedList<QueuedMessage> _messages = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    public string Name { get; } = name;

    public TimeSpan LockDuration { get; } = lockDuration;

    public int Enqueued { get; private set; }

    public int Completed { get; private set; }

    public int Redelivered { get; private set; }

    public int DeadLettered { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    public QueuedMessage Enqueue(byte[] body, IReadOnlyDictionary<string, string> properties, string? messageId = null)
    {
        TaskCompletionSource arrived;
        QueuedMessage message;
        lock (_gate)
        {
            message = new QueuedMessage(messageId ?? Guid.NewGuid().ToString("N"), ++_sequence, body, properties, time.GetUtcNow());
            _messages.AddLast(message);
            Enqueued++;
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();
        return message;
    }

    /// <summary>Locks and returns the first available message, waiting up to <paramref name="timeout"/>; null when none came.</summary>
    public async Task<QueuedMessage?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (TryLock() is { } message)
                {
                    return message;
                }

                arrived = _arrived.Task;
            }

            var left = timeout - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            // Wake on a new message, or now and then for a lock that expired.
            await Task.WhenAny(arrived, Task.Delay(left < RecheckEvery ? left : RecheckEvery, time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Completes (deletes) a locked message; false when the message or the lock is gone (lock expired, wrong token).</summary>
    public bool Complete(string messageIdOrSequence, Guid lockToken) => Settle(messageIdOrSequence, lockToken, complete: true);

    /// <summary>Unlocks (abandons) a locked message so it is delivered again at once.</summary>
    public bool Unlock(string messageIdOrSequence, Guid lockToken) => Settle(messageIdOrSequence, lockToken, complete: false);

    private bool Settle(string messageIdOrSequence, Guid lockToken, bool complete)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            for (var node = _messages.First; node is not null; node = node.Next)
            {
                var message = node.Value;
                if (message.MessageId != messageIdOrSequence && message.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) != messageIdOrSequence)
                {
                    continue;
                }

                if (message.LockToken != lockToken || message.LockedUntil <= now)
                {
                    return false;
                }

                if (complete)
                {
                    _messages.Remove(node);
                    Completed++;
                }
                else
                {
                    message.LockToken = null;
                    message.LockedUntil = default;
                }

                return true;
            }

            return false;
        }
    }

    private QueuedMessage? TryLock()
    {
        var now = time.GetUtcNow();
        for (var node = _messages.First; node is not null;)
        {
            var message = node.Value;
            var next = node.Next;
            if (message.LockToken is null || message.LockedUntil <= now)
            {
                if (message.DeliveryCount >= maxDeliveryCount)
                {
                    _messages.Remove(node);
                    DeadLettered++;
                    node = next;
                    continue;
                }

                if (message.DeliveryCount > 0)
                {
                    Redelivered++;
                }

                message.DeliveryCount++;
                message.LockToken = Guid.NewGuid();
                message.LockedUntil = now + LockDuration;
                return message;
            }

            node = next;
        }

        return null;
    }
}
