namespace ReportingSync.DataverseSimulator.OData;

internal sealed record OrderByItem(string Property, bool Descending);
