using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using NpgsqlTypes;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// PostgreSQL's spellings: nearest types to DESIGN.md's SQL Server mapping (<c>timestamp</c> without time zone holds UTC
/// values, as datetime2 does), quoted and schema-qualified names of at most 63 bytes, <c>INSERT ... ON CONFLICT</c>,
/// array parameters for id lists, the clock as <c>clock_timestamp()</c> in UTC. What runs on a connection is in
/// <c>PostgreSqlDialect.Operations.cs</c>.
/// </summary>
internal sealed partial class PostgreSqlDialect(string schema, string stateSchema, string endpoint, string? password) : SchemaQualifiedDialect(schema, stateSchema)
{
    /// <summary>NAMEDATALEN - 1: PostgreSQL silently truncates longer names.</summary>
    public static IdentifierRules Identifiers { get; } = new("\"", "\"", 63, "byte", "PostgreSQL", "PostgreSQL keeps only the first 63 and would silently truncate it");

    public override TargetProvider Provider => TargetProvider.PostgreSql;

    public override IdentifierRules Names => Identifiers;

    public override string Endpoint => endpoint;

    public override string TypeName(ColumnStorageType type, int? maxLength, int? precision, SchemaCompatibility compatibility = SchemaCompatibility.Standard) => type switch
    {
        ColumnStorageType.Guid => "uuid",
        ColumnStorageType.String => maxLength is > 0 ? $"varchar({maxLength.Value.ToString(CultureInfo.InvariantCulture)})" : "text",
        ColumnStorageType.Int32 => "integer",
        ColumnStorageType.Int64 => "bigint",
        ColumnStorageType.Decimal => $"numeric(38,{Math.Clamp(precision ?? 2, 0, 38).ToString(CultureInfo.InvariantCulture)})",
        ColumnStorageType.Double => "double precision",
        ColumnStorageType.Boolean => "boolean",
        ColumnStorageType.DateTime => "timestamp",
        ColumnStorageType.Date => "date",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No PostgreSQL type for this storage type."),
    };

    /// <summary>
    /// The storage type, length and precision a type as <c>format_type</c> spells it maps back to (the inverse of
    /// <see cref="TypeName(ColumnStorageType, int?, int?, SchemaCompatibility)"/>, plus the unbounded spellings); a null type for anything else.
    /// </summary>
    public static (ColumnStorageType? Type, int? MaxLength, int? Precision) ParseType(string formatted)
    {
        var match = TypePattern().Match(formatted);
        var name = match.Success ? match.Groups["name"].Value : formatted;
        int? First() => match.Groups["a"].Success ? int.Parse(match.Groups["a"].Value, CultureInfo.InvariantCulture) : null;
        int? Second() => match.Groups["b"].Success ? int.Parse(match.Groups["b"].Value, CultureInfo.InvariantCulture) : null;
        return name switch
        {
            "uuid" => (ColumnStorageType.Guid, null, null),
            "character varying" or "varchar" => (ColumnStorageType.String, First(), null),
            "text" => (ColumnStorageType.String, null, null),
            "integer" => (ColumnStorageType.Int32, null, null),
            "bigint" => (ColumnStorageType.Int64, null, null),
            "numeric" => (ColumnStorageType.Decimal, null, Second() ?? (First() is null ? null : 0)),
            "double precision" => (ColumnStorageType.Double, null, null),
            "boolean" => (ColumnStorageType.Boolean, null, null),
            "timestamp without time zone" => (ColumnStorageType.DateTime, null, null),
            "date" => (ColumnStorageType.Date, null, null),
            _ => (null, null, null),
        };
    }

    public override DbParameter Parameter(string name, ColumnStorageType type, object? value, int? size = null) => PostgreSqlValues.Parameter(name, type, value);

    public override string? Problem(TableColumn column, object value, SchemaCompatibility compatibility) => PostgreSqlValues.Problem(column, value);

    public override TargetException? Translate(Exception exception) => PostgreSqlErrors.Translate(exception, endpoint, password);

    public override RowRejectedException? RowRejected(Exception exception, string table, IReadOnlyList<Guid?> writtenIds) =>
        PostgreSqlErrors.TryRowRejected(exception, table, writtenIds);

    // ---- Syntax ----

    public override string True => "true";

    public override string False => "false";

    /// <summary>clock_timestamp, not now(): now() is when the transaction began, which would let a fence pass late.</summary>
    public override string UtcNow => "(clock_timestamp() AT TIME ZONE 'UTC')";

    public override string UtcNowPlus(string parameter) => $"({UtcNow} + make_interval(secs => {parameter}))";

    public override DbParameter DurationParameter(string name, TimeSpan duration) => PostgreSqlValues.Parameter(name, NpgsqlDbType.Double, duration.TotalSeconds);

    public override string NullSafeEquals(string a, string b) => $"{a} IS NOT DISTINCT FROM {b}";

    public override string Upsert(UpsertSpec spec) => OnConflictUpsert.Render(spec);

    public override string IsFalse(string column) => "NOT " + column;

    public override string BigIntCast => "bigint";

    /// <summary>
    /// TRUNCATE is transactional in PostgreSQL (it rolls back with the page) and gives the table a new empty file instead
    /// of deleting row by row, so a million rows clear as fast as ten. Its ACCESS EXCLUSIVE lock lasts until the page
    /// commits: it waits for queries already reading the table, and new readers wait for that one page; a seed starts over
    /// rarely (a refused link), and the re-seed's shadow table has no readers. The table's owner, the writer role of
    /// sql/postgresql/roles.sql, may truncate; a foreign key in another table that references it would refuse it.
    /// </summary>
    public override string ClearTable(string qualified) => $"TRUNCATE TABLE {qualified};";

    // ---- DDL ----

    public override string CreateTableIfMissing(string qualified, string body) => $"CREATE TABLE IF NOT EXISTS {qualified} (\n{body});";

    public override string PrimaryKey(string table, IEnumerable<string> quotedColumns, string? entity = null) => $"PRIMARY KEY ({string.Join(", ", quotedColumns)})";

    /// <summary>BY DEFAULT rather than ALWAYS: DBAs can migrate old DES rows with their ids.</summary>
    public override (string Type, string Constraint, bool IsKey) Identity(StateColumn column) =>
        (TypeName(column.Type, null, null) + " GENERATED BY DEFAULT AS IDENTITY", "NOT NULL", false);

    public override string CreateIndexIfMissing(string name, string qualifiedTable, IEnumerable<string> quotedColumns, bool unique) =>
        $"CREATE {(unique ? "UNIQUE " : "")}INDEX IF NOT EXISTS {Quote(name, "index")} ON {qualifiedTable} ({string.Join(", ", quotedColumns)});";

    public override string DropTableIfExists(string qualified) => $"DROP TABLE IF EXISTS {qualified};";

    public override string DropViewIfExists(string qualified) => $"DROP VIEW IF EXISTS {qualified};";

    /// <summary>
    /// varchar(n) to a longer varchar or text only changes the catalog; numeric(38,p) to numeric(38,q) and integer to
    /// bigint rewrite the table but keep every value (a value that no longer fits fails the statement, never truncates).
    /// </summary>
    public override string WidenColumn(string qualified, string quotedColumn, string type) => $"ALTER TABLE {qualified} ALTER COLUMN {quotedColumn} TYPE {type};";

    /// <summary>
    /// One statement, so the table is rewritten once; USING NULL because the old values may not convert (a type-change
    /// rebuild applies the shadow's values right after). The indexes on the column are rebuilt by PostgreSQL itself.
    /// </summary>
    public override IReadOnlyList<string> RetypeColumn(string qualified, string quotedColumn, string type) =>
        [$"ALTER TABLE {qualified} ALTER COLUMN {quotedColumn} TYPE {type} USING NULL;"];

    /// <summary>CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege, so the worker runs it only for a missing schema.</summary>
    public override IEnumerable<string> CreateSchemaStatements() =>
        new[] { Schema, StateSchema }.Distinct().Select(name => $"CREATE SCHEMA IF NOT EXISTS {Quote(name, "schema")};");

    public override IEnumerable<string> UpgradeScript(OwnedTable table, IReadOnlyList<StateColumn> added) =>
    [
        $"ALTER TABLE {Owned(table)} " +
        string.Join(", ", added.Select(c => $"ADD COLUMN IF NOT EXISTS {Quote(c.Name)} {TypeName(c.Type, c.MaxLength, null)} NULL")) + ";",
    ];

    [GeneratedRegex(@"^(?<name>[a-z ]+?)(?:\((?<a>\d+)(?:,(?<b>\d+))?\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();
}
