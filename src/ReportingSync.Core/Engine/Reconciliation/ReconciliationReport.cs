using ReportingSync.Target;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>A finished run and its stored findings.</summary>
public sealed record ReconciliationReport(ReconciliationRun Run, IReadOnlyList<ReconciliationFinding> Findings)
{
    /// <summary>Differences that are still there after the run (repaired ones do not count).</summary>
    public bool HasOpenDifferences => Run.Status is ReconciliationStatus.Differences;
}
