namespace ReportingSync.Engine;

/// <summary>
/// The bytes that the pages of parallel seeds may hold at once, shared by every lane of every entity in the process. A
/// lane reserves what its next page will cost before asking for it (the answer's body plus the decoded rows), gives
/// back the body's share once the page is decoded, and the rest once it is committed. Lanes that would go over the
/// budget wait their turn (first come, first served), so a wide table reads fewer ranges at once instead of asking for
/// smaller pages: memory is bounded without adding a single request. A page larger than the whole budget still goes,
/// alone, so nothing ever waits forever.
/// </summary>
internal sealed class SeedMemoryBudget
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _held;

    public SeedMemoryBudget(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        Bytes = bytes;
    }

    /// <summary>The budget, bytes.</summary>
    public long Bytes { get; }

    /// <summary>Bytes reserved now.</summary>
    public long Held
    {
        get { lock (_lock) { return _held; } }
    }

    /// <summary>Waits until <paramref name="bytes"/> fit (or nothing else is held) and reserves them.</summary>
    public async ValueTask<Reservation> ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        bytes = Math.Max(0, bytes);
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && Fits(bytes))
            {
                _held += bytes;
                return new Reservation(this, bytes);
            }

            waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
        }

        using (cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter))
        {
            try
            {
                await waiter.Granted.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    // Still queued: leave, which may let the ones behind go. (A waiter already granted never gets here.)
                    if (waiter.Node?.List is not null)
                    {
                        _waiters.Remove(waiter.Node);
                        GrantWaiters();
                    }
                }

                throw;
            }
        }

        return new Reservation(this, bytes);
    }

    private bool Fits(long bytes) => _held == 0 || _held + bytes <= Bytes;

    private void Release(long bytes)
    {
        lock (_lock)
        {
            _held -= bytes;
            GrantWaiters();
        }
    }

    private void GrantWaiters()
    {
        while (_waiters.First is { } first && Fits(first.Value.Bytes))
        {
            _waiters.RemoveFirst();
            first.Value.Node = null;
            if (first.Value.Granted.TrySetResult())
            {
                _held += first.Value.Bytes;
            }
        }
    }

    /// <summary>Bytes a lane holds; shrinks as the page moves on, released by <see cref="Dispose"/>.</summary>
    internal sealed class Reservation(SeedMemoryBudget budget, long bytes) : IDisposable
    {
        private long _bytes = bytes;

        public long Bytes => Interlocked.Read(ref _bytes);

        /// <summary>Keeps only <paramref name="bytes"/> (never more than reserved) and gives the rest back.</summary>
        public void ShrinkTo(long bytes)
        {
            var before = Interlocked.Read(ref _bytes);
            var keep = Math.Clamp(bytes, 0, before);
            if (keep < before && Interlocked.CompareExchange(ref _bytes, keep, before) == before)
            {
                budget.Release(before - keep);
            }
        }

        public void Dispose()
        {
            var bytes = Interlocked.Exchange(ref _bytes, 0);
            if (bytes > 0)
            {
                budget.Release(bytes);
            }
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public void Cancel(CancellationToken token) => Granted.TrySetCanceled(token);
    }
}
