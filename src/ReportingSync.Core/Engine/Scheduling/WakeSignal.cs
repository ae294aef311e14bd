namespace ReportingSync.Engine.Scheduling;

/// <summary>
/// Lets a push hint (or a command) cut an entity's poll wait short. Many Set calls while the loop is busy collapse
/// into one wake-up, which is the coalescing hints need.
/// </summary>
internal sealed class WakeSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Set()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake-up covers every hint that arrived meanwhile.
        }
    }

    /// <summary>Waits until <paramref name="delay"/> has passed or the signal is set. Returns true when woken early.</summary>
    public async Task<bool> WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return _signal.Wait(0, CancellationToken.None);
        }

        using var timeout = new CancellationTokenSource(delay, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _signal.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
