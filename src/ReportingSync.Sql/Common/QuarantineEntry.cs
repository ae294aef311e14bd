namespace ReportingSync.Sql;

/// <summary>A page row that will not be written: the record, its version, the first column that cannot hold its value, and why.</summary>
internal readonly record struct QuarantineEntry(Guid RecordId, long VersionNumber, string ColumnName, string Reason);
