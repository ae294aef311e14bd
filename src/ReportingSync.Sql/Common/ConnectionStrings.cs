using System.Data.Common;
using System.Text.RegularExpressions;

namespace ReportingSync.Sql;

/// <summary>Helpers shared by the dialects' connection string handling.</summary>
internal static partial class ConnectionStrings
{
    public const string Key = TargetOptions.SectionName + ":ConnectionString";

    /// <summary>
    /// Removes password values from a parser's error message. Parsers quote fragments of the string they choke on
    /// (an unquoted ';' inside a password turns the rest into a "keyword"), so every password value and every part
    /// of it between separators is masked.
    /// </summary>
    public static string Redact(string message, string connectionString)
    {
        foreach (Match match in PasswordPattern().Matches(connectionString))
        {
            var value = match.Groups["value"].Value.Trim().Trim('\'', '"');
            // Fragments shorter than 3 characters give nothing away and would garble ordinary words.
            var parts = value.Split([';', '='], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(p => p.Length >= 3)
                .Prepend(value)
                .Where(p => p.Length > 0)
                .OrderByDescending(p => p.Length);
            foreach (var part in parts)
            {
                message = message.Replace(part, "***", StringComparison.Ordinal);
            }
        }

        return message;
    }

    /// <summary>Parses with the generic ADO.NET parser first, whose errors give a position and never a value.</summary>
    public static string? SyntaxError(string connectionString)
    {
        try
        {
            _ = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return null;
        }
        catch (ArgumentException ex)
        {
            return Redact(ex.Message, connectionString);
        }
    }

    // Password or Pwd up to the end, since everything after it may be a broken password.
    [GeneratedRegex(@"(?i)(?:^|;)\s*(?:password|pwd)\s*=(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex PasswordPattern();
}
