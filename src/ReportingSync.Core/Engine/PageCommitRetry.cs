using Microsoft.Extensions.Logging;
using ReportingSync.Target;

namespace ReportingSync.Engine;

/// <summary>
/// Tries a page commit again, in place, when the target says the failure passes with time (a deadlock victim, Azure
/// SQL throttling or failover, a dropped connection: <see cref="TargetException.IsTransient"/>). Safe because a commit
/// is one transaction with a compare-and-set on the cursor: a failed attempt wrote nothing, and an attempt whose
/// acknowledgement was lost makes the next one fail with a cursor conflict rather than write twice. Without this a
/// one-second deadlock would fail the whole cycle, mark the entity Failed and re-read the page from Dataverse. After
/// the last delay the error goes to the entity's own failure backoff (<see cref="SyncOptions.FailureBackoff"/>).
/// </summary>
internal static partial class PageCommitRetry
{
    /// <summary>
    /// Waits before each further attempt: long enough for a deadlock to clear or a throttled database to recover, and
    /// 15 s in all, about the time Azure SQL documents for a reconfiguration; longer outages are the entity's backoff.
    /// </summary>
    internal static readonly TimeSpan[] Delays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

    public static async Task<T> RunAsync<T>(Func<Task<T>> commit, string entity, TimeProvider time, ILogger log)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await commit().ConfigureAwait(false);
            }
            catch (TargetException error) when (error.IsTransient && attempt < Delays.Length)
            {
                // Not cancelled by shutdown either, like the commit itself: at most 15 s to finish the page in hand.
                Retrying(log, entity, attempt + 1, Delays[attempt].TotalSeconds, error.Message);
                await Task.Delay(Delays[attempt], time).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(1023, LogLevel.Warning, "Commit of a page of {Entity} failed transiently (attempt {Attempt}); trying again in {DelaySeconds:0.#} s: {Message}")]
    private static partial void Retrying(ILogger logger, string entity, int attempt, double delaySeconds, string message);
}
