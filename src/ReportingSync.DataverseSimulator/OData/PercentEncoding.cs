using System.Text;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// The exact escaping Dataverse uses inside links: lower-case hex for the inner paging cookie and delta tokens
/// (<c>%3c</c>, <c>%2f</c>, <c>%21</c>), upper-case hex for the outer cookie (<c>%3C</c>, <c>%22</c>), where
/// <c>=</c> and <c>/</c> stay literal.
/// </summary>
internal static class PercentEncoding
{
    /// <summary>Escapes everything but letters, digits, '-', '_' and '.', with lower-case hex.</summary>
    public static string EncodeLower(string text) => Encode(text, static c => IsUnreserved(c), "x2");

    /// <summary>Escapes everything but letters, digits, '-', '_', '.', '=' and '/', with upper-case hex.</summary>
    public static string EncodeOuterCookie(string text) => Encode(text, static c => IsUnreserved(c) || c is '=' or '/', "X2");

    /// <summary>Escapes characters that cannot appear raw in a query value (for $filter and $orderby in links).</summary>
    public static string EncodeQueryValue(string text) =>
        Encode(text, static c => IsUnreserved(c) || c is ',' or '(' or ')' or '\'' or ':' or '/' or '$' or '@', "X2");

    private static bool IsUnreserved(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.';

    private static string Encode(string text, Func<char, bool> keep, string hexFormat)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var builder = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            if (b < 0x80 && keep((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString(hexFormat, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
