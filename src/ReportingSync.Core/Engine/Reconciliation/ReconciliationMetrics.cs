using ReportingSync.Target;
using System.Diagnostics.Metrics;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>Reconciliation's instruments, on the shared meter <c>ReportingSync</c>.</summary>
public sealed class ReconciliationMetrics
{
    private readonly Counter<long> _differences;

    public ReconciliationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(SyncMetrics.MeterName);
        _differences = meter.CreateCounter<long>(
            "reportingsync.reconciliation.differences", "{row}",
            "Rows found different from the source by reconciliation, by entity and kind (Missing, Extra, Stale, ColumnDiff).");
    }

    public void Differences(string entity, FindingKind kind, long count)
    {
        if (count > 0)
        {
            _differences.Add(count, new KeyValuePair<string, object?>("entity", entity), new KeyValuePair<string, object?>("kind", kind.ToString()));
        }
    }
}
