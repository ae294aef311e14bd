using System.Text.RegularExpressions;

namespace ReportingSync.Model;

/// <summary>
/// Entity and attribute names arrive from remote metadata, so they are untrusted. Every name that reaches SQL passes
/// this check first (and is quoted as well).
/// </summary>
public static partial class Identifier
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Returns <paramref name="name"/> unchanged, or throws naming what it is and the bad value.</summary>
    public static string Validate(string? name, string what)
    {
        if (!IsValid(name))
        {
            throw new InvalidIdentifierException(what, name);
        }

        return name!;
    }
}
