namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary>Evaluates a bound filter against one item, reading properties through <c>valueOf</c>.</summary>
internal static class FilterEvaluator
{
    public static bool Evaluate(FilterNode node, Func<string, object?> valueOf) => node switch
    {
        LogicalNode { IsAnd: true } n => Evaluate(n.Left, valueOf) && Evaluate(n.Right, valueOf),
        LogicalNode n => Evaluate(n.Left, valueOf) || Evaluate(n.Right, valueOf),
        NotNode n => !Evaluate(n.Operand, valueOf),
        FunctionNode n => valueOf(n.Property) is string s && n.Function switch
        {
            "contains" => s.Contains(n.Argument, StringComparison.OrdinalIgnoreCase),
            "startswith" => s.StartsWith(n.Argument, StringComparison.OrdinalIgnoreCase),
            _ => s.EndsWith(n.Argument, StringComparison.OrdinalIgnoreCase),
        },
        ComparisonNode n => Compare(valueOf(n.Property), n.Operator, n.Value),
        _ => false,
    };

    private static bool Compare(object? value, ComparisonOperator op, object? literal)
    {
        if (value is null || literal is null)
        {
            var bothNull = value is null && literal is null;
            return op switch
            {
                ComparisonOperator.Equal => bothNull,
                ComparisonOperator.NotEqual => !bothNull,
                _ => false,
            };
        }

        if (ValueComparison.Compare(value, literal) is not { } order)
        {
            return false;
        }

        return op switch
        {
            ComparisonOperator.Equal => order == 0,
            ComparisonOperator.NotEqual => order != 0,
            ComparisonOperator.GreaterThan => order > 0,
            ComparisonOperator.GreaterThanOrEqual => order >= 0,
            ComparisonOperator.LessThan => order < 0,
            _ => order <= 0,
        };
    }
}
