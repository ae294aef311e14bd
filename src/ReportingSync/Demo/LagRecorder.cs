using System.Diagnostics.Metrics;

namespace ReportingSync.Demo;

/// <summary>
/// Listens to the engine's own <c>reportingsync.lag</c> histogram (source <c>modifiedon</c> to target commit), so the
/// demo shows the same figure ops would see on a dashboard.
/// </summary>
internal sealed class LagRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<double> _samples = [];
    private readonly object _gate = new();

    public LagRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Engine.SyncMetrics.MeterName && instrument.Name == "reportingsync.lag")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (_gate)
            {
                _samples.Add(value);
            }
        });
        _listener.Start();
    }

    public LagSummary Summarize()
    {
        lock (_gate)
        {
            return LagSummary.Of(_samples);
        }
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>Percentiles of the lag samples, in seconds.</summary>
internal sealed record LagSummary(int Count, double P50, double P95, double P99, double Max)
{
    public static LagSummary Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return new LagSummary(0, 0, 0, 0, 0);
        }

        var sorted = samples.Order().ToArray();
        return new LagSummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted[^1]);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
