using System.Text;
using System.Text.RegularExpressions;

namespace ReportingSync.DataverseSimulator.OData.Filtering;

internal sealed partial class FilterParser
{
    private enum TokenKind
    {
        Identifier,
        String,
        Number,
        Guid,
        DateTime,
        Date,
        OpenParen,
        CloseParen,
        Comma,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Position);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var rest = text.AsSpan(i);
            Match match;
            if (c is '(' or ')' or ',')
            {
                tokens.Add(new Token(c == '(' ? TokenKind.OpenParen : c == ')' ? TokenKind.CloseParen : TokenKind.Comma, c.ToString(), i));
                i++;
            }
            else if (c == '\'')
            {
                i = ReadString(text, i, tokens);
            }
            else if ((match = GuidPattern().Match(text, i)).Success && match.Index == i)
            {
                tokens.Add(new Token(TokenKind.Guid, match.Value, i));
                i += match.Length;
            }
            else if ((match = DateTimePattern().Match(text, i)).Success && match.Index == i)
            {
                tokens.Add(new Token(match.Groups[1].Success ? TokenKind.DateTime : TokenKind.Date, match.Value, i));
                i += match.Length;
            }
            else if ((match = NumberPattern().Match(text, i)).Success && match.Index == i)
            {
                tokens.Add(new Token(TokenKind.Number, match.Value.TrimEnd('m', 'M', 'd', 'D', 'l', 'L', 'f', 'F'), i));
                i += match.Length;
            }
            else if ((match = IdentifierPattern().Match(text, i)).Success && match.Index == i)
            {
                i += match.Length;
                if (i < text.Length && text[i] == '\'')
                {
                    // Enum or typed literal (Namespace.Type'Value'): only the quoted value matters here.
                    i = ReadString(text, i, tokens);
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Identifier, match.Value, match.Index));
                }
            }
            else
            {
                throw ErrorCodes.BadRequest($"Syntax error at position {i} in '{text}': unexpected '{rest[0]}'.");
            }
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length));
        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length));
        return tokens;
    }

    private static int ReadString(string text, int start, List<Token> tokens)
    {
        var builder = new StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (i >= text.Length)
            {
                throw ErrorCodes.BadRequest($"Unterminated string literal at position {start} in '{text}'.");
            }

            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    builder.Append('\'');
                    i += 2;
                    continue;
                }

                tokens.Add(new Token(TokenKind.String, builder.ToString(), start));
                return i + 1;
            }

            builder.Append(text[i++]);
        }
    }

    [GeneratedRegex(@"\G[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z_])")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"\G\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?(?![0-9A-Za-z_])")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"\G-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDlLfF]?(?![0-9A-Za-z_])")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\G[A-Za-z_$@][A-Za-z0-9_.$@/]*")]
    private static partial Regex IdentifierPattern();
}
