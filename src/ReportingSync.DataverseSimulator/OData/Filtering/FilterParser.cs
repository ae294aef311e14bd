namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary>
/// Parses the <c>$filter</c> subset Dataverse clients use: eq, ne, gt, ge, lt, le, and, or, not, parentheses,
/// contains/startswith/endswith, and literals (strings, numbers, true/false, null, GUIDs, dates, date-times,
/// enum literals such as <c>Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist'</c>).
/// </summary>
internal sealed partial class FilterParser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _position;

    private FilterParser(string text)
    {
        _text = text;
        _tokens = Tokenize(text);
    }

    public static FilterNode Parse(string text)
    {
        var parser = new FilterParser(text);
        var node = parser.ParseOr();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw parser.Error($"Syntax error at position {parser.Current.Position} in '{text}'.");
        }

        return node;
    }

    private Token Current => _tokens[_position];

    private FilterNode ParseOr()
    {
        var left = ParseAnd();
        while (IsKeyword("or"))
        {
            _position++;
            left = new LogicalNode(false, left, ParseAnd());
        }

        return left;
    }

    private FilterNode ParseAnd()
    {
        var left = ParseUnary();
        while (IsKeyword("and"))
        {
            _position++;
            left = new LogicalNode(true, left, ParseUnary());
        }

        return left;
    }

    private FilterNode ParseUnary()
    {
        if (IsKeyword("not"))
        {
            _position++;
            return new NotNode(ParseUnary());
        }

        if (Current.Kind == TokenKind.OpenParen)
        {
            _position++;
            var inner = ParseOr();
            Expect(TokenKind.CloseParen);
            return inner;
        }

        if (Current.Kind == TokenKind.Identifier && _tokens[_position + 1].Kind == TokenKind.OpenParen)
        {
            return ParseFunction();
        }

        return ParseComparison();
    }

    private FilterNode ParseFunction()
    {
        var name = Current.Text.ToLowerInvariant();
        if (name is not ("contains" or "startswith" or "endswith"))
        {
            throw Error($"The function '{Current.Text}' is not supported.");
        }

        _position += 2;
        var property = Expect(TokenKind.Identifier).Text;
        Expect(TokenKind.Comma);
        var argument = Expect(TokenKind.String).Text;
        Expect(TokenKind.CloseParen);
        return new FunctionNode(name, property, argument);
    }

    private FilterNode ParseComparison()
    {
        var left = Current;
        _position++;
        if (Current.Kind != TokenKind.Identifier || !TryOperator(Current.Text, out var op))
        {
            throw Error($"Syntax error: expected a comparison operator at position {Current.Position} in '{_text}'.");
        }

        _position++;
        var right = Current;
        _position++;
        if (left.Kind == TokenKind.Identifier && !IsLiteralKeyword(left.Text) && (right.Kind != TokenKind.Identifier || IsLiteralKeyword(right.Text)))
        {
            return new ComparisonNode(left.Text, op, ToLiteral(right));
        }

        if (right.Kind == TokenKind.Identifier && !IsLiteralKeyword(right.Text) && (left.Kind != TokenKind.Identifier || IsLiteralKeyword(left.Text)))
        {
            return new ComparisonNode(right.Text, Mirror(op), ToLiteral(left));
        }

        throw Error($"The comparison at position {left.Position} in '{_text}' must compare a property with a literal.");
    }

    private FilterLiteral ToLiteral(Token token) => token.Kind switch
    {
        TokenKind.String => new FilterLiteral(LiteralKind.String, token.Text),
        TokenKind.Number => new FilterLiteral(LiteralKind.Number, token.Text),
        TokenKind.Guid => new FilterLiteral(LiteralKind.Guid, token.Text),
        TokenKind.DateTime => new FilterLiteral(LiteralKind.DateTime, token.Text),
        TokenKind.Date => new FilterLiteral(LiteralKind.Date, token.Text),
        TokenKind.Identifier when token.Text == "null" => new FilterLiteral(LiteralKind.Null, token.Text),
        TokenKind.Identifier when token.Text is "true" or "false" => new FilterLiteral(LiteralKind.Boolean, token.Text),
        _ => throw Error($"Expected a literal at position {token.Position} in '{_text}'."),
    };

    private static bool IsLiteralKeyword(string text) => text is "null" or "true" or "false";

    private static bool TryOperator(string text, out ComparisonOperator op)
    {
        (var ok, op) = text switch
        {
            "eq" => (true, ComparisonOperator.Equal),
            "ne" => (true, ComparisonOperator.NotEqual),
            "gt" => (true, ComparisonOperator.GreaterThan),
            "ge" => (true, ComparisonOperator.GreaterThanOrEqual),
            "lt" => (true, ComparisonOperator.LessThan),
            "le" => (true, ComparisonOperator.LessThanOrEqual),
            _ => (false, ComparisonOperator.Equal),
        };
        return ok;
    }

    private static ComparisonOperator Mirror(ComparisonOperator op) => op switch
    {
        ComparisonOperator.GreaterThan => ComparisonOperator.LessThan,
        ComparisonOperator.GreaterThanOrEqual => ComparisonOperator.LessThanOrEqual,
        ComparisonOperator.LessThan => ComparisonOperator.GreaterThan,
        ComparisonOperator.LessThanOrEqual => ComparisonOperator.GreaterThanOrEqual,
        _ => op,
    };

    private bool IsKeyword(string keyword) => Current.Kind == TokenKind.Identifier && Current.Text == keyword;

    private Token Expect(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            throw Error($"Syntax error: expected {kind} at position {Current.Position} in '{_text}'.");
        }

        return _tokens[_position++];
    }

    private ODataException Error(string message) => ErrorCodes.BadRequest(message);
}
