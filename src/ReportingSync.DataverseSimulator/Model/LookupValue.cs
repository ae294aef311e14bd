namespace ReportingSync.DataverseSimulator.Model;

/// <summary>The value of a Lookup, Customer or Owner attribute: the row it points at and that row's primary name.</summary>
internal sealed record LookupValue(Guid Id, string LogicalName, string? Name);
