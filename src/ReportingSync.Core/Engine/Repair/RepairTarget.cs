using ReportingSync.Target;

namespace ReportingSync.Engine.Repair;

/// <summary>One row to bring in line with the source, and what reconciliation found about it.</summary>
public sealed record RepairTarget(Guid Id, FindingKind Kind);
