using System.Globalization;

namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary>
/// Checks every property in a filter exists and every literal fits its property's type, and converts the literals
/// to CLR values once, so evaluation per row is only comparisons.
/// </summary>
internal static class FilterBinder
{
    public static FilterNode Bind(FilterNode node, Func<string, FilterValueType?> typeOf, Func<string, Exception> unknownProperty) => node switch
    {
        LogicalNode n => n with { Left = Bind(n.Left, typeOf, unknownProperty), Right = Bind(n.Right, typeOf, unknownProperty) },
        NotNode n => n with { Operand = Bind(n.Operand, typeOf, unknownProperty) },
        FunctionNode n => typeOf(n.Property) switch
        {
            null => throw unknownProperty(n.Property),
            FilterValueType.String or FilterValueType.Any => n,
            _ => throw ErrorCodes.BadRequest($"The function '{n.Function}' needs a string property; '{n.Property}' is not one."),
        },
        ComparisonNode n => n with { Value = Convert(n, typeOf(n.Property) ?? throw unknownProperty(n.Property)) },
        _ => node,
    };

    private static object? Convert(ComparisonNode node, FilterValueType type)
    {
        var literal = node.Literal;
        if (literal.Kind == LiteralKind.Null)
        {
            return null;
        }

        return (type, literal.Kind) switch
        {
            (FilterValueType.String or FilterValueType.Any, LiteralKind.String) => literal.Text,
            (FilterValueType.Number or FilterValueType.Any, LiteralKind.Number) =>
                decimal.Parse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture),
            (FilterValueType.Boolean or FilterValueType.Any, LiteralKind.Boolean) => literal.Text == "true",
            (FilterValueType.Guid or FilterValueType.Any, LiteralKind.Guid) => Guid.Parse(literal.Text),
            (FilterValueType.DateTime, LiteralKind.DateTime) => ParseInstant(literal.Text),
            (FilterValueType.DateTime, LiteralKind.Date) => DateTime.SpecifyKind(DateTime.ParseExact(literal.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc),
            (FilterValueType.Date, LiteralKind.Date) => DateOnly.ParseExact(literal.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            (FilterValueType.Date, LiteralKind.DateTime) => DateOnly.FromDateTime(ParseInstant(literal.Text)),
            _ => throw ErrorCodes.BadRequest(
                $"A binary operator with incompatible types was detected. Found operand types '{EdmName(type)}' and '{literal.EdmType}' for operator kind '{node.Operator}'."),
        };
    }

    private static DateTime ParseInstant(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static string EdmName(FilterValueType type) => type switch
    {
        FilterValueType.String => "Edm.String",
        FilterValueType.Number => "Edm.Decimal",
        FilterValueType.Boolean => "Edm.Boolean",
        FilterValueType.Guid => "Edm.Guid",
        FilterValueType.DateTime => "Edm.DateTimeOffset",
        FilterValueType.Date => "Edm.Date",
        _ => "Edm.Untyped",
    };
}
