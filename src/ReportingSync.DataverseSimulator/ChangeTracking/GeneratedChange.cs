using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.ChangeTracking;

/// <summary>A change the generator made, with the simulator time it was committed (tests measure lag from it).</summary>
internal sealed record GeneratedChange(DateTimeOffset At, string Entity, Guid Id, ChangeKind Kind, long Version);
