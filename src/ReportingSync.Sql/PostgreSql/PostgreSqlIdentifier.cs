using System.Globalization;
using ReportingSync.Model;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// Quotes names for PostgreSQL. Every name is validated (<see cref="Identifier"/>) before it is quoted, and names over
/// 63 bytes are rejected because PostgreSQL would silently truncate them (NAMEDATALEN - 1), which could make two
/// columns collide or a table be created under a name nobody asked for.
/// </summary>
internal static class PostgreSqlIdentifier
{
    public const int MaxBytes = 63;

    /// <summary>The quoted name: <c>"name"</c>, with embedded quotes doubled (none pass validation, but quoting must not depend on that).</summary>
    /// <param name="name">An untrusted name.</param>
    /// <param name="what">What the name is, for the error message ("column", "table").</param>
    /// <param name="entity">The entity it belongs to, for the error message.</param>
    public static string Quote(string? name, string what, string? entity = null)
    {
        Validate(name, what, entity);
        return "\"" + name!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Schema-qualified and quoted: <c>"schema"."table"</c>.</summary>
    public static string Qualify(string schema, string name, string what, string? entity = null) =>
        Quote(schema, "schema") + "." + Quote(name, what, entity);

    public static string Validate(string? name, string what, string? entity = null)
    {
        Identifier.Validate(name, what);

        // Valid identifiers are ASCII, so characters are bytes.
        if (name!.Length > MaxBytes)
        {
            throw new InvalidSchemaException(
                entity ?? name,
                $"{what} name '{name}' is {name.Length.ToString(CultureInfo.InvariantCulture)} bytes long; PostgreSQL keeps only the first {MaxBytes.ToString(CultureInfo.InvariantCulture)} and would silently truncate it.");
        }

        return name;
    }

    /// <summary>The error for a configured schema name, or null when it is usable.</summary>
    public static string? SchemaError(string? name, string key) =>
        !Identifier.IsValid(name)
            ? $"{key} '{name}' is not a valid schema name: names must match ^[A-Za-z_][A-Za-z0-9_]{{0,127}}$."
            : name!.Length > MaxBytes
                ? $"{key} '{name}' is longer than PostgreSQL's {MaxBytes.ToString(CultureInfo.InvariantCulture)}-byte identifier limit."
                : null;
}
