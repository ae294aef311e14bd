using System.Globalization;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// How a dialect quotes and limits names. Every name is validated (<see cref="Identifier"/>) before it is quoted, with
/// the closing quote doubled (none pass validation, but quoting must not depend on that). Names longer than the database
/// keeps are rejected rather than left to it: PostgreSQL would silently truncate one past 63 bytes, which could make two
/// columns collide or create a table under a name nobody asked for. Names derived from a table name (<c>PK_&lt;table&gt;</c>,
/// the shadow table, the label view) are validated as themselves, so a derived name that is too long fails before any SQL runs.
/// </summary>
/// <param name="maxLength">The longest name the database keeps whole, in <paramref name="unit"/>s (valid names are ASCII, so characters are bytes).</param>
/// <param name="database">The database's name, for messages.</param>
/// <param name="limit">How the error message explains the limit.</param>
/// <param name="reservedPrefix">A prefix the database keeps for itself (SQLite's <c>sqlite_</c>).</param>
internal sealed class IdentifierRules(string open, string close, int maxLength, string unit, string database, string limit, string? reservedPrefix = null)
{
    public int MaxLength => maxLength;

    /// <summary>The quoted name.</summary>
    /// <param name="name">An untrusted name.</param>
    /// <param name="what">What the name is, for the error message ("column", "table").</param>
    /// <param name="entity">The entity it belongs to, for the error message.</param>
    public string Quote(string? name, string what, string? entity = null)
    {
        Validate(name, what, entity);
        return open + name!.Replace(close, close + close, StringComparison.Ordinal) + close;
    }

    /// <summary>Schema-qualified and quoted.</summary>
    public string Qualify(string schema, string name, string what, string? entity = null) => Quote(schema, "schema") + "." + Quote(name, what, entity);

    public string Validate(string? name, string what, string? entity = null)
    {
        Identifier.Validate(name, what);
        if (name!.Length > maxLength)
        {
            throw new InvalidSchemaException(
                entity ?? name, $"{what} name '{name}' is {name.Length.ToString(CultureInfo.InvariantCulture)} {unit}s long; {limit}.");
        }

        if (reservedPrefix is not null && name.StartsWith(reservedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidSchemaException(entity ?? name, $"{what} name '{name}' starts with '{reservedPrefix}', which {database} reserves for itself.");
        }

        return name;
    }

    /// <summary>The error for a configured schema name, or null when it is usable.</summary>
    public string? SchemaError(string? name, string key) =>
        !Identifier.IsValid(name)
            ? $"{key} '{name}' is not a valid schema name: names must match ^[A-Za-z_][A-Za-z0-9_]{{0,127}}$."
            : name!.Length > maxLength
                ? $"{key} '{name}' is longer than {database}'s {maxLength.ToString(CultureInfo.InvariantCulture)}-{unit} identifier limit."
                : null;
}
