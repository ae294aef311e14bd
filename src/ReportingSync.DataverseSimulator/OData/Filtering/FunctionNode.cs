namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary><c>contains</c>, <c>startswith</c> or <c>endswith</c> of a string property.</summary>
internal sealed record FunctionNode(string Function, string Property, string Argument) : FilterNode;
