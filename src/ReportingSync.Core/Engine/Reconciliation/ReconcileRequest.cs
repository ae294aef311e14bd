using ReportingSync.Target;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>What one reconciliation does beyond the fast key comparison.</summary>
/// <param name="Deep">Also compare every column of a sample of rows.</param>
/// <param name="SamplePercent">Share of rows deep mode compares (0 &lt; p ≤ 100).</param>
/// <param name="Repair">Re-fetch and upsert missing/stale rows, delete extra rows, through the normal commit path.</param>
public sealed record ReconcileRequest(bool Deep = false, double SamplePercent = 100, bool Repair = false)
{
    public string Describe() =>
        (Deep ? SamplePercent >= 100 ? "deep (all rows)" : $"deep ({SamplePercent.ToString(System.Globalization.CultureInfo.InvariantCulture)}% sample)" : "fast")
        + (Repair ? ", repair" : "");
}
