namespace ReportingSync.DataverseSimulator.Store;

/// <summary>A generated row's primary name, valid for one schema.</summary>
internal sealed record CachedName(int Index, TableSchema Schema, string? Name);
