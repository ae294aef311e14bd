namespace ReportingSync.DataverseSimulator.Store;

/// <summary>One entry of a table's change log, in version order.</summary>
internal readonly record struct ChangeEntry(long Version, UInt128 Key, ChangeKind Kind, DateTimeOffset At);
