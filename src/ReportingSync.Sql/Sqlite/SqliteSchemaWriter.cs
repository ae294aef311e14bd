using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// SQLite DDL and type mapping, generated from the layout, <see cref="StateTables"/> and <see cref="MetadataTables"/>.
/// SQLite has five storage classes, so several types are stored as TEXT in a fixed format that reads back exactly (see
/// <see cref="SqliteValues"/>): Guid as lowercase "D", DateTime as fixed-width ISO-8601 UTC (sorts as text), Date as
/// yyyy-MM-dd, and Decimal as its invariant text. Declared types name the storage type so the table can be read back
/// for drift planning (<see cref="ParseType"/>), and every textual one contains "TEXT", which gives the column TEXT
/// affinity (sqlite.org, "Datatypes In SQLite", 3.1 rule 2): a NUMERIC or DECIMAL declaration would have NUMERIC affinity,
/// turning '12.3400' into a REAL and losing digits beyond 15-17 significant ones.
/// State tables live in the main database with a prefix (reportingsync_EntityState) rather than in an attached
/// database: in WAL mode a transaction spanning attached files is atomic per file only, and the page commit must
/// write data and state atomically.
/// </summary>
internal sealed partial class SqliteSchemaWriter(string statePrefix, int labelLanguageCode = TargetOptions.DefaultLabelLanguageCode)
{
    /// <summary>Identifier length the views' label columns may use (the validator's limit; SQLite itself has none).</summary>
    public const int MaxIdentifierLength = 128;

    /// <summary>Prefix of the state tables, e.g. "reportingsync_".</summary>
    public string StatePrefix { get; } = SqliteIdentifier.Validate(statePrefix, "state table prefix") + "_";

    public int LabelLanguageCode { get; } = labelLanguageCode;

    public string EntityStateTable => Owned(StateTables.EntityStateTable);
    public string SyncHistoryTable => Owned(StateTables.SyncHistoryTable);

    /// <summary>The physical name of an owned table: prefixed in the state "schema", as is in the data one.</summary>
    public string Owned(OwnedTable table) => table.InStateSchema ? StatePrefix + table.Name : table.Name;

    public static string TypeName(ColumnStorageType type, int? precision = null) => type switch
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

    /// <summary>The entity table: layout columns, then the sync columns, keyed by Id.</summary>
    public static string CreateTable(TableLayout layout, string? tableName = null)
    {
        var table = tableName ?? layout.TableName;
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(SqliteIdentifier.Quote(table, "table", layout.EntityName)).Append(" (\n");
        foreach (var column in layout.Columns)
        {
            // NOT NULL spelled out: SQLite lets a non-INTEGER primary key hold NULLs unless told otherwise.
            var nullability = column.Name == SyncColumns.Id ? "NOT NULL" : "NULL";
            AppendColumn(sql, SqliteIdentifier.Quote(column.Name, "column", layout.EntityName), TypeName(column.Type, column.Precision), nullability);
        }

        AppendColumn(sql, Q(SyncColumns.SinkCreatedOn), TypeName(ColumnStorageType.DateTime), "NOT NULL");
        AppendColumn(sql, Q(SyncColumns.SinkModifiedOn), TypeName(ColumnStorageType.DateTime), "NOT NULL");
        if (layout.Options.SoftDeletes)
        {
            AppendColumn(sql, Q(SyncColumns.IsDeleted), TypeName(ColumnStorageType.Boolean), "NOT NULL DEFAULT 0");
        }

        sql.Append("    PRIMARY KEY (").Append(Q(SyncColumns.Id)).Append(")\n);");
        return sql.ToString();
    }

    /// <summary>Every owned table with its indexes. Upgrading the first version's EntityState is done by the target
    /// (<see cref="AddStateColumns"/>): SQLite has no ADD COLUMN IF NOT EXISTS.</summary>
    public IReadOnlyList<string> CreateStateTables() => [.. StateTables.All.SelectMany(CreateOwned)];

    /// <summary>An owned table and its indexes.</summary>
    public IEnumerable<string> CreateOwned(OwnedTable table) => new[] { CreateOwnedTable(table) }.Concat(CreateIndexes(table));

    /// <summary>ALTER TABLE statements that append <paramref name="columns"/> to EntityState.</summary>
    public IReadOnlyList<string> AddStateColumns(IEnumerable<StateColumn> columns) =>
        columns.Select(c => $"ALTER TABLE {Q(EntityStateTable)} ADD COLUMN {Q(c.Name)} {TypeName(c.Type)} NULL;").ToList();

    public static string DropTable(string table, string? entity = null) => $"DROP TABLE IF EXISTS {SqliteIdentifier.Quote(table, "table", entity)};";

    public static string DropLabelView(TableLayout layout) => $"DROP VIEW IF EXISTS {SqliteIdentifier.Quote(LabelViews.ViewName(layout), "view", layout.EntityName)};";

    public static string RenameTable(string from, string to, string entity) =>
        $"ALTER TABLE {SqliteIdentifier.Quote(from, "table", entity)} RENAME TO {SqliteIdentifier.Quote(to, "table", entity)};";

    public static string AddColumn(string table, TableColumn column, string entity) =>
        $"ALTER TABLE {SqliteIdentifier.Quote(table, "table", entity)} ADD COLUMN {SqliteIdentifier.Quote(column.Name, "column", entity)} {TypeName(column.Type, column.Precision)} NULL;";

    /// <summary>DROP COLUMN needs SQLite 3.35 or later (Microsoft.Data.Sqlite 10 bundles a newer one).</summary>
    public static string DropColumn(string table, string column, string entity) =>
        $"ALTER TABLE {SqliteIdentifier.Quote(table, "table", entity)} DROP COLUMN {SqliteIdentifier.Quote(column, "column", entity)};";

    /// <summary>The <c>&lt;entity&gt;_labelled</c> view (see <see cref="LabelViews"/>); names are validated identifiers.</summary>
    public string CreateLabelView(TableLayout layout, string table, IReadOnlyList<string> columns, IReadOnlyList<LabelColumn> labels)
    {
        var entity = layout.EntityName;
        var present = new HashSet<string>(columns, StringComparer.Ordinal);
        var sql = new StringBuilder("CREATE VIEW ").Append(SqliteIdentifier.Quote(LabelViews.ViewName(layout), "view", entity)).Append(" AS\nSELECT ");
        sql.AppendJoin(", ", columns.Select(c => "t." + SqliteIdentifier.Quote(c, "column", entity)));
        var joins = new StringBuilder();
        var n = 0;
        foreach (var label in labels.Where(l => present.Contains(l.Column)))
        {
            var alias = "l" + (n++).ToString(CultureInfo.InvariantCulture);
            var column = "t." + SqliteIdentifier.Quote(label.Column, "column", entity);
            sql.Append(", ").Append(alias).Append('.').Append(Q(MetadataTables.Label)).Append(" AS ").Append(SqliteIdentifier.Quote(label.Alias, "column", entity));
            var (metadata, conditions) = label.Source switch
            {
                LabelSource.State => (MetadataTables.States, $"{alias}.{Q(MetadataTables.EntityName)} = {Literal(entity)} AND {alias}.{Q(MetadataTables.State)} = {column}"),
                LabelSource.Status => (MetadataTables.Statuses, $"{alias}.{Q(MetadataTables.EntityName)} = {Literal(entity)} AND {alias}.{Q(MetadataTables.Status)} = {column}"),
                LabelSource.GlobalOptionSet => (MetadataTables.GlobalOptionSets,
                    $"{alias}.{Q(MetadataTables.OptionSetName)} = {Literal(label.Column)} AND {alias}.{Q(MetadataTables.GlobalOptionSetName)} = {Literal(label.GlobalOptionSetName!)} AND {alias}.{Q(MetadataTables.Option)} = {column}"),
                _ => (MetadataTables.OptionSets,
                    $"{alias}.{Q(MetadataTables.EntityName)} = {Literal(entity)} AND {alias}.{Q(MetadataTables.OptionSetName)} = {Literal(label.Column)} AND {alias}.{Q(MetadataTables.Option)} = {column}"),
            };
            joins.Append("\nLEFT JOIN ").Append(Q(Owned(metadata))).Append(" AS ").Append(alias).Append(" ON ").Append(conditions)
                .Append(" AND ").Append(alias).Append('.').Append(Q(MetadataTables.LanguageCode)).Append(" = ")
                .Append(LabelLanguageCode.ToString(CultureInfo.InvariantCulture));
        }

        return sql.Append("\nFROM ").Append(SqliteIdentifier.Quote(table, "table", entity)).Append(" AS t").Append(joins).Append(';').ToString();
    }

    /// <summary>A replicator-owned table.</summary>
    public string CreateOwnedTable(OwnedTable table)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(Q(Owned(table))).Append(" (\n");
        var identityKey = table.PrimaryKey.Count == 1 && table.Column(table.PrimaryKey[0]).Identity;
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];

            // AUTOINCREMENT so ids only ever grow: DeleteLog and Command readers use Id as a high-water mark, and plain
            // rowids may be reused after the newest row is purged.
            var (type, constraint) = column.Identity
                ? ("INTEGER", "PRIMARY KEY AUTOINCREMENT")
                : (TypeName(column.Type), column.Nullable ? "NULL" : "NOT NULL");
            sql.Append("    ").Append(Q(column.Name)).Append(' ').Append(type).Append(' ').Append(constraint);
            sql.Append(i < table.Columns.Count - 1 || !identityKey ? ",\n" : "\n");
        }

        if (!identityKey)
        {
            sql.Append("    PRIMARY KEY (").AppendJoin(", ", table.PrimaryKey.Select(Q)).Append(")\n");
        }

        return sql.Append(");").ToString();
    }

    private IEnumerable<string> CreateIndexes(OwnedTable table) => table.Indexes.Select(index =>
        $"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX IF NOT EXISTS {Q(index.Name(Owned(table)))} ON {Q(Owned(table))} ({string.Join(", ", index.Columns.Select(Q))});");

    /// <summary>A validated identifier as a string literal (view definitions cannot take parameters).</summary>
    private static string Literal(string identifier) => "'" + Identifier.Validate(identifier, "name").Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void AppendColumn(StringBuilder sql, string quotedName, string type, string constraint) =>
        sql.Append("    ").Append(quotedName).Append(' ').Append(type).Append(' ').Append(constraint).Append(",\n");

    private static string Q(string trustedName) => SqliteIdentifier.Quote(trustedName, "column");

    [GeneratedRegex(@"^DECIMAL TEXT\(\s*\d+\s*,\s*(?<p>\d+)\s*\)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DecimalPattern();
}
