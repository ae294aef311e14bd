using Microsoft.Extensions.Logging;
using ReportingSync.Source;

namespace ReportingSync.Engine.Drift;

/// <summary>
/// Cheap drift checks for every configured entity at once. Each <see cref="SyncOptions.MetadataRefreshInterval"/>, one
/// <c>RetrieveMetadataChanges</c> request with the last stamp names the tables whose metadata changed since; only those
/// re-read their definition and run the drift planner, at their next cycle (every table when the stamp had expired).
/// Before, every table re-read its definition each interval: 55 tables cost 55 reads of several requests every 5 minutes.
/// </summary>
/// <remarks>
/// The stamp lives in memory. A restart reads every table's definition in preflight anyway (the layouts are built from
/// it), so a stored stamp would save no request; the first stamp is taken before those reads, so a change made while
/// they run shows at the first check.
/// </remarks>
internal sealed class MetadataWatch(IChangeSource source, IReadOnlyCollection<string> entities, TimeSpan interval, TimeProvider time, ILogger log)
{
    /// <summary>How soon a failed check is tried again (sooner when the interval is shorter).</summary>
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _single = new(1, 1);
    private readonly HashSet<string> _changed = new(StringComparer.OrdinalIgnoreCase);
    private string? _stamp;
    private long _nextCheck = time.GetTimestamp();

    /// <summary>The stamp the next check asks with; null before the first one.</summary>
    public string? Stamp => _stamp;

    /// <summary>
    /// Takes the first stamp. Call it before reading any definition; if it fails for another reason than an unreachable
    /// source, the first check asks without a stamp and so re-reads every table once.
    /// </summary>
    /// <exception cref="SourceUnavailableException">The source cannot be reached.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var first = await source.GetMetadataChangesAsync(entities, null, cancellationToken).ConfigureAwait(false);
            _stamp = first.Stamp;
            _nextCheck = After(interval);
        }
        catch (SourceException ex) when (ex is not SourceUnavailableException)
        {
            Log.MetadataStampUnavailable(log, ex.Message);
        }
    }

    /// <summary>
    /// Whether <paramref name="entity"/>'s definition must be read again because it changed. When a check is due, it runs
    /// first: one request for every entity, while the callers that arrive meanwhile wait for its answer.
    /// </summary>
    public async Task<bool> TakeChangeAsync(string entity, CancellationToken cancellationToken)
    {
        if (IsDue)
        {
            await _single.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (IsDue)
                {
                    await CheckAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _single.Release();
            }
        }

        lock (_changed)
        {
            return _changed.Remove(entity);
        }
    }

    private bool IsDue => time.GetTimestamp() >= Interlocked.Read(ref _nextCheck);

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        MetadataChanges answer;
        try
        {
            answer = await source.GetMetadataChangesAsync(entities, _stamp, cancellationToken).ConfigureAwait(false);
        }
        catch (SourceException ex)
        {
            // The entity's own delta read reports an unreachable source; the drift check only waits to try again.
            var retry = interval < RetryAfterFailure ? interval : RetryAfterFailure;
            Interlocked.Exchange(ref _nextCheck, After(retry));
            Log.MetadataCheckFailed(log, ex.Message, retry.TotalSeconds);
            return;
        }

        lock (_changed)
        {
            _changed.UnionWith(answer.ChangedEntities);
        }

        if (answer.ChangedEntities.Count > 0 && _stamp is not null)
        {
            Log.MetadataChanged(log, answer.ChangedEntities.Count, entities.Count, string.Join(", ", answer.ChangedEntities.Order(StringComparer.Ordinal)),
                answer.Expired ? " (the stamp had expired)" : "");
        }

        _stamp = answer.Stamp;
        Interlocked.Exchange(ref _nextCheck, After(interval));
    }

    private long After(TimeSpan delay) => time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency);
}
