namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary><c>left and right</c> or <c>left or right</c>.</summary>
internal sealed record LogicalNode(bool IsAnd, FilterNode Left, FilterNode Right) : FilterNode;
