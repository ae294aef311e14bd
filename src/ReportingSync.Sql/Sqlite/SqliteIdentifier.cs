using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// Quotes names for SQLite. Every name is validated (<see cref="Identifier"/>) before it is quoted; names starting
/// with <c>sqlite_</c> are reserved by SQLite itself and rejected here with a clearer message than SQLite's.
/// </summary>
internal static class SqliteIdentifier
{
    /// <summary>The quoted name: <c>"name"</c>, with embedded quotes doubled.</summary>
    /// <param name="name">An untrusted name.</param>
    /// <param name="what">What the name is, for the error message ("column", "table").</param>
    /// <param name="entity">The entity it belongs to, for the error message.</param>
    public static string Quote(string? name, string what, string? entity = null)
    {
        Validate(name, what, entity);
        return "\"" + name!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Validate(string? name, string what, string? entity = null)
    {
        Identifier.Validate(name, what);
        if (name!.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidSchemaException(entity ?? name, $"{what} name '{name}' starts with 'sqlite_', which SQLite reserves for itself.");
        }

        return name;
    }

    /// <summary>The error for a configured state table prefix, or null when it is usable.</summary>
    public static string? PrefixError(string? name, string key) =>
        Identifier.IsValid(name) && !name!.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{key} '{name}' is not a valid name for the SQLite state table prefix: names must match ^[A-Za-z_][A-Za-z0-9_]{{0,127}}$ and not start with 'sqlite_'.";
}
