namespace ReportingSync.Target;

/// <summary>A row of <c>reportingsync.Quarantine</c>: a source row the target could not hold, and why.</summary>
public sealed record QuarantinedRow(string EntityName, Guid RecordId, long VersionNumber, string ColumnName, string Reason, DateTime AtUtc);
