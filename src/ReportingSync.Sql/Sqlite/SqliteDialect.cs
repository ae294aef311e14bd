using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// SQLite's spellings. SQLite has five storage classes, so several types are stored as TEXT in a fixed format that reads
/// back exactly (see <see cref="SqliteValues"/>): Guid as lowercase "D", DateTime as fixed-width ISO-8601 UTC (sorts as
/// text), Date as yyyy-MM-dd, and Decimal as its invariant text. Declared types name the storage type so the table can
/// be read back for drift planning (<see cref="ParseType"/>), and every textual one contains "TEXT", which gives the
/// column TEXT affinity (sqlite.org, "Datatypes In SQLite", 3.1 rule 2): a NUMERIC or DECIMAL declaration would have
/// NUMERIC affinity, turning '12.3400' into a REAL and losing digits beyond 15-17 significant ones. State tables live in
/// the main database with a prefix (reportingsync_EntityState) rather than in an attached database: in WAL mode a
/// transaction spanning attached files is atomic per file only, and the page commit must write data and state atomically.
/// What runs on a connection is in <c>SqliteDialect.Operations.cs</c>.
/// </summary>
internal sealed partial class SqliteDialect(string statePrefix, string endpoint) : SqlDialect
{
    /// <summary>The validator's limit (SQLite itself has none); names starting with <c>sqlite_</c> are SQLite's own.</summary>
    public static IdentifierRules Identifiers { get; } = new("\"", "\"", 128, "character", "SQLite", "names hold at most 128", "sqlite_");

    public override TargetProvider Provider => TargetProvider.Sqlite;

    /// <summary>
    /// A seed's commit writes every page of the primary key's index that its random GUIDs land on into the WAL, whole
    /// (4 KiB each): 5,000 rows into a table of a million touch about 4,300 of its ~11,000 leaf pages, nearly a page per
    /// row, and those writes were the largest single cost of a SQLite seed. Gathering up to 20,000 rows lands several on
    /// the same leaf pages, so each is written once per commit instead of once per page.
    /// </summary>
    public override int SeedCommitRows => 20_000;

    public override IdentifierRules Names => Identifiers;

    /// <summary>Prefix of the state tables, e.g. "reportingsync_".</summary>
    public string StatePrefix { get; } = Identifiers.Validate(statePrefix, "state table prefix") + "_";

    public override string Endpoint => endpoint;

    public override string Table(string table, string? entity = null) => Quote(table, "table", entity);

    public override string OwnedName(OwnedTable table) => table.InStateSchema ? StatePrefix + table.Name : table.Name;

    public override string Owned(OwnedTable table) => Quote(OwnedName(table), "table");

    /// <summary>The error for a configured state table prefix, or null when it is usable.</summary>
    public static string? PrefixError(string? name, string key) =>
        Identifier.IsValid(name) && !name!.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{key} '{name}' is not a valid name for the SQLite state table prefix: names must match ^[A-Za-z_][A-Za-z0-9_]{{0,127}}$ and not start with 'sqlite_'.";

    public override bool IsReserved(string table) => ReservedNames.IsReservedTableName(table, StatePrefix);

    public override string TypeName(ColumnStorageType type, int? maxLength, int? precision, SchemaCompatibility compatibility = SchemaCompatibility.Standard) => type switch
    {
        ColumnStorageType.Guid => "UUID TEXT",
        ColumnStorageType.String => "TEXT",
        ColumnStorageType.Int32 => "INT",
        ColumnStorageType.Int64 => "BIGINT",
        ColumnStorageType.Decimal => $"DECIMAL TEXT(38,{Math.Clamp(precision ?? 2, 0, 38).ToString(CultureInfo.InvariantCulture)})",
        ColumnStorageType.Double => "REAL",
        ColumnStorageType.Boolean => "BOOLEAN",
        ColumnStorageType.DateTime => "DATETIME TEXT",
        ColumnStorageType.Date => "DATE TEXT",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No SQLite type for this storage type."),
    };

    /// <summary>
    /// The storage type a declared type maps back to. Strings are always unbounded (SQLite text has no length limit).
    /// The first version declared plain TEXT and INTEGER for everything; those read back as String and Int64.
    /// </summary>
    public static (ColumnStorageType? Type, int? MaxLength, int? Precision) ParseType(string declared)
    {
        var match = DecimalPattern().Match(declared);
        if (match.Success)
        {
            return (ColumnStorageType.Decimal, null, int.Parse(match.Groups["p"].Value, CultureInfo.InvariantCulture));
        }

        return declared.ToUpperInvariant() switch
        {
            "UUID TEXT" => (ColumnStorageType.Guid, null, null),
            "TEXT" => (ColumnStorageType.String, null, null),
            "INT" => (ColumnStorageType.Int32, null, null),
            "BIGINT" or "INTEGER" => (ColumnStorageType.Int64, null, null),
            "REAL" => (ColumnStorageType.Double, null, null),
            "BOOLEAN" => (ColumnStorageType.Boolean, null, null),
            "DATETIME TEXT" => (ColumnStorageType.DateTime, null, null),
            "DATE TEXT" => (ColumnStorageType.Date, null, null),
            _ => (null, null, null),
        };
    }

    public override DbParameter Parameter(string name, ColumnStorageType type, object? value, int? size = null) =>
        new SqliteParameter(name, SqliteValues.DbType(type))
        {
            Value = SqliteValues.ToDb(value, type) ?? throw new ArgumentException(ValueChecks.WrongType(value!, type), nameof(value)),
        };

    public override object? Read(DbDataReader reader, int ordinal, ColumnStorageType type) => SqliteValues.Read(reader, ordinal, type);

    public override string? Problem(TableColumn column, object value, SchemaCompatibility compatibility) => SqliteValues.Problem(column, value);

    public override TargetException? Translate(Exception exception) => SqliteErrors.Translate(exception, endpoint);

    // ---- Syntax ----

    public override string True => "1";

    public override string False => "0";

    /// <summary>Our DateTime text (7 fractional digits, Z) from SQLite's clock, so text comparison is time comparison.</summary>
    public override string UtcNow => "(strftime('%Y-%m-%dT%H:%M:%f', 'now') || '0000Z')";

    public override string UtcNowPlus(string parameter) => $"(strftime('%Y-%m-%dT%H:%M:%f', 'now', {parameter}) || '0000Z')";

    /// <summary>A date-time modifier, e.g. <c>+30.000 seconds</c>.</summary>
    public override DbParameter DurationParameter(string name, TimeSpan duration) =>
        new SqliteParameter(name, SqliteType.Text) { Value = "+" + duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " seconds" };

    /// <summary>IS is SQLite's null-safe equality.</summary>
    public override string NullSafeEquals(string a, string b) => $"{a} IS {b}";

    public override string Upsert(UpsertSpec spec) => OnConflictUpsert.Render(spec);

    public override string BigIntCast => "INTEGER";

    /// <summary>
    /// SQLite has no TRUNCATE: a DELETE without WHERE is its truncate optimisation, which frees the table's pages
    /// without visiting each row (sqlite.org, "DELETE": the optimisation applies when the table has no DELETE trigger
    /// and no foreign key needs checking, and ReportingSync creates neither). It is transactional like any DELETE.
    /// </summary>
    public override string ClearTable(string qualified) => $"DELETE FROM {qualified};";

    // ---- DDL ----

    public override string CreateTableIfMissing(string qualified, string body) => $"CREATE TABLE IF NOT EXISTS {qualified} (\n{body});";

    public override string PrimaryKey(string table, IEnumerable<string> quotedColumns, string? entity = null) => $"PRIMARY KEY ({string.Join(", ", quotedColumns)})";

    /// <summary>AUTOINCREMENT so ids only ever grow: DeleteLog and Command readers use Id as a high-water mark, and plain rowids may be reused.</summary>
    public override (string Type, string Constraint, bool IsKey) Identity(StateColumn column) => ("INTEGER", "PRIMARY KEY AUTOINCREMENT", true);

    public override string CreateIndexIfMissing(string name, string qualifiedTable, IEnumerable<string> quotedColumns, bool unique) =>
        $"CREATE {(unique ? "UNIQUE " : "")}INDEX IF NOT EXISTS {Quote(name, "index")} ON {qualifiedTable} ({string.Join(", ", quotedColumns)});";

    public override string DropTableIfExists(string qualified) => $"DROP TABLE IF EXISTS {qualified};";

    public override string DropViewIfExists(string qualified) => $"DROP VIEW IF EXISTS {qualified};";

    /// <summary>SQLite's declared types do not limit values: text has no length limit, decimals are exact text, integers 8 bytes.</summary>
    public override string? WidenColumn(string qualified, string quotedColumn, string type) => null;

    /// <summary>SQLite has no ALTER COLUMN: a type change replaces the table (<see cref="ReplaceWithShadowAsync"/>).</summary>
    public override IReadOnlyList<string>? RetypeColumn(string qualified, string quotedColumn, string type) => null;

    public override bool LengthsEnforced => false;

    public override IEnumerable<string> CreateSchemaStatements() => [];

    /// <summary>SQLite has no ADD COLUMN IF NOT EXISTS; the worker adds missing columns itself.</summary>
    public override IEnumerable<string> UpgradeScript(OwnedTable table, IReadOnlyList<StateColumn> added) =>
    [
        $"-- A {OwnedName(table)} created by an earlier version lacks {string.Join(", ", added.Select(c => c.Name))}; the worker adds them when it starts. By hand:\n-- " +
        string.Join("\n-- ", added.Select(c => AddColumn(Owned(table), Quote(c.Name), TypeName(c.Type, c.MaxLength, null)))),
    ];

    [GeneratedRegex(@"^DECIMAL TEXT\(\s*\d+\s*,\s*(?<p>\d+)\s*\)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DecimalPattern();
}
