using System.Globalization;
using ReportingSync.Model;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// Quotes names for SQL Server. Every name is validated (<see cref="Identifier"/>) before it is bracket-quoted, with
/// <c>]</c> doubled (none pass validation, but quoting must not depend on that), and names over 128 characters (sysname)
/// are rejected rather than left to the server. Names derived from a table name (<c>PK_&lt;table&gt;</c>, the shadow table,
/// the label view) are validated as themselves, so a derived name that would be too long fails before any SQL runs.
/// </summary>
internal static class SqlServerIdentifier
{
    public const int MaxLength = 128;

    /// <summary>The quoted name: <c>[name]</c>.</summary>
    public static string Quote(string? name, string what, string? entity = null)
    {
        Validate(name, what, entity);
        return "[" + name!.Replace("]", "]]", StringComparison.Ordinal) + "]";
    }

    /// <summary>Schema-qualified and quoted: <c>[schema].[table]</c>.</summary>
    public static string Qualify(string schema, string name, string what, string? entity = null) =>
        Quote(schema, "schema") + "." + Quote(name, what, entity);

    public static string Validate(string? name, string what, string? entity = null)
    {
        Identifier.Validate(name, what);
        if (name!.Length > MaxLength)
        {
            throw new InvalidSchemaException(
                entity ?? name,
                $"{what} name '{name}' is {name.Length.ToString(CultureInfo.InvariantCulture)} characters long; SQL Server names hold at most {MaxLength.ToString(CultureInfo.InvariantCulture)}.");
        }

        return name;
    }

    /// <summary>A Unicode string literal, <c>N'...'</c>, of an already quoted or validated name (for OBJECT_ID and views).</summary>
    public static string Literal(string text) => "N'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The error for a configured schema name, or null when it is usable.</summary>
    public static string? SchemaError(string? name, string key) =>
        !Identifier.IsValid(name)
            ? $"{key} '{name}' is not a valid schema name: names must match ^[A-Za-z_][A-Za-z0-9_]{{0,127}}$."
            : null;
}
