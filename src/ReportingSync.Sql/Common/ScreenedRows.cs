namespace ReportingSync.Sql;

/// <summary>A page's rows split into those every column can hold and those that go to the quarantine table.</summary>
internal sealed record ScreenedRows(IReadOnlyList<object?[]> Accepted, IReadOnlyList<QuarantineEntry> Quarantined);
