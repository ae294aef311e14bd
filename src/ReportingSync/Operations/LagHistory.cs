using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ReportingSync.Engine;

namespace ReportingSync.Operations;

/// <summary>
/// The last hour of <c>reportingsync.lag</c> per entity, for the status page's sparklines: a ring of 10-second buckets
/// (the largest lag committed in each). It listens to the engine's own histogram, and only to the meter of
/// this worker's container (<see cref="Meter.Scope"/>), so several workers in one process (tests) keep apart.
/// Memory is fixed: 360 buckets per entity.
/// </summary>
internal sealed class LagHistory : IDisposable
{
    public static readonly TimeSpan BucketWidth = TimeSpan.FromSeconds(10);
    public const int BucketCount = 360;

    private readonly ConcurrentDictionary<string, Ring> _rings = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();

    public LagHistory(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory)
                && instrument.Meter.Name == SyncMetrics.MeterName && instrument.Name == "reportingsync.lag")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "entity", Value: string entity })
                {
                    Record(entity, value);
                }
            }
        });
        _listener.Start();
    }

    public void Record(string entity, double seconds)
    {
        var ring = _rings.GetOrAdd(entity, _ => new Ring());
        ring.Add(CurrentBucket(), seconds);
    }

    /// <summary>Oldest first, one value per bucket of the last hour: the largest lag committed in it, null when none was.</summary>
    public double?[] MaxPerBucket(string entity) =>
        _rings.TryGetValue(entity, out var ring) ? ring.MaxPerBucket(CurrentBucket()) : new double?[BucketCount];

    public void Dispose() => _listener.Dispose();

    private long CurrentBucket() => (_time.GetUtcNow().UtcDateTime - DateTime.UnixEpoch).Ticks / BucketWidth.Ticks;

    private sealed class Ring
    {
        private readonly long[] _bucket = new long[BucketCount];
        private readonly double[] _max = new double[BucketCount];
        private readonly object _gate = new();

        public void Add(long bucket, double seconds)
        {
            lock (_gate)
            {
                var slot = (int)(bucket % BucketCount);
                if (_bucket[slot] != bucket)
                {
                    // The slot still holds a bucket from an hour (or more) ago: start it afresh.
                    _bucket[slot] = bucket;
                    _max[slot] = 0;
                }

                _max[slot] = Math.Max(_max[slot], seconds);
            }
        }

        public double?[] MaxPerBucket(long current)
        {
            var values = new double?[BucketCount];
            lock (_gate)
            {
                for (var i = 0; i < BucketCount; i++)
                {
                    var bucket = current - (BucketCount - 1) + i;
                    var slot = (int)(bucket % BucketCount);
                    values[i] = _bucket[slot] == bucket ? _max[slot] : null;
                }
            }

            return values;
        }
    }
}
