using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ReportingSync.Model;

namespace ReportingSync.Engine;

/// <summary>
/// The engine's instruments (meter <c>ReportingSync</c>), every one tagged with <c>entity</c>. The host exports them
/// (OpenTelemetry); tests read them with a MeterListener.
/// </summary>
public sealed class SyncMetrics
{
    public const string MeterName = "ReportingSync";

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, EntityGauges> _entities = new(StringComparer.Ordinal);
    private readonly Counter<long> _rowsUpserted;
    private readonly Counter<long> _rowsDeleted;
    private readonly Counter<long> _pages;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _lag;

    public SyncMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _rowsUpserted = meter.CreateCounter<long>("reportingsync.rows.upserted", "{row}", "Rows received and written (inserted or updated).");
        _rowsDeleted = meter.CreateCounter<long>("reportingsync.rows.deleted", "{row}", "Rows deleted in the target.");
        _pages = meter.CreateCounter<long>("reportingsync.pages", "{page}", "Pages committed.");
        _errors = meter.CreateCounter<long>("reportingsync.errors", "{error}", "Failed cycles, by entity and error kind.");
        _lag = meter.CreateHistogram<double>(
            "reportingsync.lag",
            "s",
            "Seconds between a change's modifiedon in the source and its commit in the target (streaming only).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 30, 60, 120, 300, 600, 1800, 3600] });
        meter.CreateObservableGauge("reportingsync.staleness", ObserveStaleness, "s",
            "Seconds since the entity's last completed delta cycle; keeps rising while the sync is stuck.");
        meter.CreateObservableGauge("reportingsync.poll_interval", ObservePollInterval, "s",
            "Seconds between this worker's delta reads of the entity now: divided by the number of changes a read found (by 2 at least, down to the minimum), the minimum after a hint, doubled by each empty read up to the maximum.");
        meter.CreateObservableGauge("reportingsync.seed.rows", ObserveSeedRows, "{row}", "Rows copied by the current or last seed.");
        meter.CreateObservableGauge("reportingsync.seed.remaining_entities", ObserveRemaining, "{entity}",
            "Configured entities whose seed has not completed.");
        meter.CreateObservableGauge("reportingsync.seed.estimated_rows", ObserveSeedEstimate, "{row}",
            "The source's row-count estimate for an entity that is seeding (progress = seed.rows / this).");
        meter.CreateObservableGauge("reportingsync.entity.status", ObserveStatus, "{entity}",
            "1 for the entity's current status (tag status: New, Seeding, Streaming, Reseeding, Failed), as the state table records it.");
        meter.CreateObservableGauge("reportingsync.reseed.blocked", ObserveBlocked, "{object}",
            "1 for each object (tag object) that a re-seed's swap waits for: built on the live table, it could not be kept through the swap. " +
            "The live table keeps streaming; status names what to do.");
    }

    /// <summary>Registers an entity so its gauges report from the start (staleness counts from now).</summary>
    public void Track(string entity) => _entities.GetOrAdd(entity, _ => new EntityGauges(_time.GetUtcNow().UtcDateTime));

    public void PageCommitted(string entity, int upserts, int deletes)
    {
        var tag = new KeyValuePair<string, object?>("entity", entity);
        _pages.Add(1, tag);
        if (upserts > 0)
        {
            _rowsUpserted.Add(upserts, tag);
        }

        if (deletes > 0)
        {
            _rowsDeleted.Add(deletes, tag);
        }
    }

    public void RecordLag(string entity, double seconds) =>
        _lag.Record(Math.Max(0, seconds), new KeyValuePair<string, object?>("entity", entity));

    public void CycleCompleted(string entity, DateTime atUtc)
    {
        var gauges = _entities.GetOrAdd(entity, _ => new EntityGauges(atUtc));
        gauges.LastSyncUtc = atUtc;
    }

    public void SeedProgress(string entity, long rows, bool completed)
    {
        var gauges = _entities.GetOrAdd(entity, _ => new EntityGauges(_time.GetUtcNow().UtcDateTime));
        gauges.SeedRows = rows;
        gauges.SeedCompleted = completed;
    }

    /// <summary>
    /// Takes in the entity's state row as the target stores it (the host's status monitor reads it every few seconds).
    /// With several replicas the row is the only place where another replica's progress shows, so staleness follows
    /// the newest completed cycle of any replica; status and the seed estimate come from the row alone.
    /// </summary>
    public void Observe(EntityState state, long? seedRowsEstimated)
    {
        var gauges = _entities.GetOrAdd(state.EntityName, _ => new EntityGauges(_time.GetUtcNow().UtcDateTime));
        if (state.LastSyncUtc is { } last && last > gauges.LastSyncUtc)
        {
            gauges.LastSyncUtc = last;
        }

        gauges.Status = state.Status.ToString();
        gauges.Blockers = state.ReseedBlocked?.Objects ?? [];
        gauges.SeedEstimate = seedRowsEstimated;
        if (state.SeedRowsCopied > gauges.SeedRows || state.SeedCompletedUtc is not null)
        {
            gauges.SeedRows = state.SeedRowsCopied;
            gauges.SeedCompleted = state.SeedCompletedUtc is not null;
        }
    }

    /// <summary>The objects an entity's re-seed waits for (none: it does not wait).</summary>
    public void ReseedBlocked(string entity, IReadOnlyList<BlockingObject> objects) =>
        _entities.GetOrAdd(entity, _ => new EntityGauges(_time.GetUtcNow().UtcDateTime)).Blockers = objects;

    /// <summary>The entity's poll interval on this worker now; null when this worker stopped reading it (lease lost).</summary>
    public void PollInterval(string entity, TimeSpan? interval)
    {
        var gauges = _entities.GetOrAdd(entity, _ => new EntityGauges(_time.GetUtcNow().UtcDateTime));
        gauges.PollIntervalSeconds = interval?.TotalSeconds;
    }

    public void Error(string entity, string kind) =>
        _errors.Add(1, new KeyValuePair<string, object?>("entity", entity), new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Current staleness of one entity in seconds (also used by the status endpoint).</summary>
    public double StalenessSeconds(string entity)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _entities.TryGetValue(entity, out var g) ? (now - g.LastSyncUtc).TotalSeconds : 0;
    }

    private IEnumerable<Measurement<double>> ObserveStaleness()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var (entity, g) in _entities)
        {
            yield return new Measurement<double>((now - g.LastSyncUtc).TotalSeconds, new KeyValuePair<string, object?>("entity", entity));
        }
    }

    private IEnumerable<Measurement<double>> ObservePollInterval()
    {
        foreach (var (entity, g) in _entities)
        {
            if (g.PollIntervalSeconds is { } seconds)
            {
                yield return new Measurement<double>(seconds, new KeyValuePair<string, object?>("entity", entity));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveSeedRows()
    {
        foreach (var (entity, g) in _entities)
        {
            yield return new Measurement<long>(g.SeedRows, new KeyValuePair<string, object?>("entity", entity));
        }
    }

    private IEnumerable<Measurement<long>> ObserveSeedEstimate()
    {
        foreach (var (entity, g) in _entities)
        {
            if (g.SeedEstimate is { } estimate && !g.SeedCompleted)
            {
                yield return new Measurement<long>(estimate, new KeyValuePair<string, object?>("entity", entity));
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveStatus()
    {
        foreach (var (entity, g) in _entities)
        {
            if (g.Status is { } status)
            {
                yield return new Measurement<int>(1, new KeyValuePair<string, object?>("entity", entity), new KeyValuePair<string, object?>("status", status));
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveBlocked()
    {
        foreach (var (entity, g) in _entities)
        {
            foreach (var blocker in g.Blockers)
            {
                yield return new Measurement<int>(1, new KeyValuePair<string, object?>("entity", entity), new KeyValuePair<string, object?>("object", blocker.Name));
            }
        }
    }

    private long ObserveRemaining() => _entities.Values.Count(g => !g.SeedCompleted);

    private sealed class EntityGauges(DateTime startedUtc)
    {
        public DateTime LastSyncUtc { get; set; } = startedUtc;
        public long SeedRows { get; set; }
        public bool SeedCompleted { get; set; }
        public long? SeedEstimate { get; set; }
        public string? Status { get; set; }
        public IReadOnlyList<BlockingObject> Blockers { get; set; } = [];
        public double? PollIntervalSeconds { get; set; }
    }
}
