namespace ReportingSync.Source;

/// <summary>A row's primary id and <c>versionnumber</c>: enough to compare source and target without reading rows.</summary>
public readonly record struct RowKey(Guid Id, long Version);
