namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary><c>property op literal</c>, normalised so the property is on the left.</summary>
internal sealed record ComparisonNode(string Property, ComparisonOperator Operator, FilterLiteral Literal) : FilterNode
{
    /// <summary>The literal converted to the property's CLR type by the binder.</summary>
    public object? Value { get; init; }
}
