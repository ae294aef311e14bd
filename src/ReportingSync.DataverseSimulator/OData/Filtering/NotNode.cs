namespace ReportingSync.DataverseSimulator.OData.Filtering;

internal sealed record NotNode(FilterNode Operand) : FilterNode;
