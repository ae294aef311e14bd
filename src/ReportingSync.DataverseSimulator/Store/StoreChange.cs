namespace ReportingSync.DataverseSimulator.Store;

/// <summary>A change as tests and listeners see it: which row, which version, when (simulator clock).</summary>
internal sealed record StoreChange(string Entity, Guid Id, long Version, ChangeKind Kind, DateTimeOffset At);
