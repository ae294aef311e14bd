namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary>A node of a parsed <c>$filter</c> expression.</summary>
internal abstract record FilterNode;
