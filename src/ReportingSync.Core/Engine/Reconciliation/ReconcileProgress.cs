using ReportingSync.Target;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>Progress of one entity's reconciliation, for the CLI's stderr and logs.</summary>
public sealed record ReconcileProgress(string EntityName, string Phase, long Rows, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}
