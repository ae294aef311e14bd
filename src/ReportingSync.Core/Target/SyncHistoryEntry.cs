namespace ReportingSync.Target;

/// <summary>A row of <c>reportingsync.SyncHistory</c>: what happened to an entity, when, and why.</summary>
public sealed record SyncHistoryEntry(string EntityName, DateTime AtUtc, string Event, string? Detail = null);
