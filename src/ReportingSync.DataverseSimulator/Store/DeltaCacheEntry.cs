namespace ReportingSync.DataverseSimulator.Store;

/// <summary>The changes of one table between two versions, computed once per delta read and reused by its pages.</summary>
internal sealed record DeltaCacheEntry(long Since, long UpTo, IReadOnlyList<DeltaItem> Items);
