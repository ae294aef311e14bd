using ReportingSync.Target;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>A reconciliation cannot run for a reason a person must fix (unknown entity, not seeded, drift pending).</summary>
public sealed class ReconciliationException(string message) : Exception(message);
