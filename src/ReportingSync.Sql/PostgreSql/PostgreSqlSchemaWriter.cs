using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ReportingSync.Model;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// PostgreSQL DDL and type mapping, generated from the layout, <see cref="StateTables"/> and <see cref="MetadataTables"/>
/// so the same text can be printed as scripts for DBAs. Nearest types to DESIGN.md's SQL Server mapping;
/// <c>timestamp</c> (without time zone) holds UTC values, as datetime2 does on SQL Server.
/// </summary>
internal sealed partial class PostgreSqlSchemaWriter(string schema, string stateSchema, int labelLanguageCode = TargetOptions.DefaultLabelLanguageCode)
{
    /// <summary>Session temp table each upsert stages its page in; dropped when the transaction ends.</summary>
    public const string StageTable = "reportingsync_stage";

    public string Schema { get; } = PostgreSqlIdentifier.Validate(schema, "schema");
    public string StateSchema { get; } = PostgreSqlIdentifier.Validate(stateSchema, "state schema");
    public int LabelLanguageCode { get; } = labelLanguageCode;

    public static string TypeName(ColumnStorageType type, int? maxLength, int? precision) => type switch
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

    public static string TypeName(TableColumn column) => TypeName(column.Type, column.MaxLength, column.Precision);

    /// <summary>
    /// The storage type, length and precision a type as <c>format_type</c> spells it maps back to (the inverse of
    /// <see cref="TypeName(ColumnStorageType, int?, int?)"/>, plus the unbounded spellings); a null type for anything else.
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

    public string CreateSchema(string name) => $"CREATE SCHEMA IF NOT EXISTS {PostgreSqlIdentifier.Quote(name, "schema")};";

    /// <summary>The entity table: layout columns, then the sync columns, keyed by Id.</summary>
    public string CreateTable(TableLayout layout, string? tableName = null)
    {
        var table = tableName ?? layout.TableName;
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(PostgreSqlIdentifier.Qualify(Schema, table, "table", layout.EntityName)).Append(" (\n");
        foreach (var column in layout.Columns)
        {
            var nullability = column.Name == SyncColumns.Id ? "NOT NULL" : "NULL";
            AppendColumn(sql, PostgreSqlIdentifier.Quote(column.Name, "column", layout.EntityName), TypeName(column), nullability);
        }

        AppendColumn(sql, Q(SyncColumns.SinkCreatedOn), "timestamp", "NOT NULL");
        AppendColumn(sql, Q(SyncColumns.SinkModifiedOn), "timestamp", "NOT NULL");
        if (layout.Options.SoftDeletes)
        {
            AppendColumn(sql, Q(SyncColumns.IsDeleted), "boolean", "NOT NULL DEFAULT false");
        }

        sql.Append("    PRIMARY KEY (").Append(Q(SyncColumns.Id)).Append(")\n);");
        return sql.ToString();
    }

    /// <summary>The staging table: layout columns only, no constraints, gone at commit or rollback.</summary>
    public static string CreateStage(TableLayout layout)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TEMP TABLE ").Append(Q(StageTable)).Append(" (");
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            var column = layout.Columns[i];
            sql.Append(i == 0 ? "" : ", ").Append(PostgreSqlIdentifier.Quote(column.Name, "column", layout.EntityName)).Append(' ').Append(TypeName(column));
        }

        return sql.Append(") ON COMMIT DROP;").ToString();
    }

    /// <summary>
    /// Every owned table (state, history, quarantine, commands in the state schema; DeleteLog and the metadata tables in
    /// the data schema) with its indexes, then the upgrade of an EntityState table created by the first version.
    /// Schemas themselves are created separately (<see cref="CreateSchema"/>) and only when missing, because
    /// CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege on the database.
    /// </summary>
    public IReadOnlyList<string> CreateStateTables() => [.. StateTables.All.SelectMany(CreateOwned), UpgradeEntityState()];

    /// <summary>An owned table and its indexes.</summary>
    public IEnumerable<string> CreateOwned(OwnedTable table) => new[] { CreateOwnedTable(table) }.Concat(CreateIndexes(table));

    /// <summary>Adds the columns the first version's EntityState lacks; a no-op on a current table.</summary>
    public string UpgradeEntityState() =>
        $"ALTER TABLE {Owned(StateTables.EntityStateTable)} " +
        string.Join(", ", StateTables.EntityStateAddedColumns.Select(c => $"ADD COLUMN IF NOT EXISTS {Q(c.Name)} {TypeName(c.Type, c.MaxLength, null)} NULL")) + ";";

    /// <summary>Schema-qualified, quoted name of an owned table.</summary>
    public string Owned(OwnedTable table) => PostgreSqlIdentifier.Qualify(table.InStateSchema ? StateSchema : Schema, table.Name, "table");

    public string Qualified(string table, string? entity = null) => PostgreSqlIdentifier.Qualify(Schema, table, "table", entity);

    public string DropTable(string table, string? entity = null) => $"DROP TABLE IF EXISTS {Qualified(table, entity)};";

    public string DropLabelView(TableLayout layout) => $"DROP VIEW IF EXISTS {Qualified(LabelViews.ViewName(layout), layout.EntityName)};";

    /// <summary>
    /// The <c>&lt;entity&gt;_labelled</c> view over <paramref name="table"/>: its <paramref name="columns"/> as they are in the
    /// database, then one label per <see cref="LabelColumn"/> whose column exists. Names and literals are validated
    /// identifiers (views take no parameters).
    /// </summary>
    public string CreateLabelView(TableLayout layout, string table, IReadOnlyList<string> columns, IReadOnlyList<LabelColumn> labels)
    {
        var entity = layout.EntityName;
        var present = new HashSet<string>(columns, StringComparer.Ordinal);
        var sql = new StringBuilder("CREATE VIEW ").Append(Qualified(LabelViews.ViewName(layout), entity)).Append(" AS\nSELECT ");
        sql.AppendJoin(", ", columns.Select(c => "t." + PostgreSqlIdentifier.Quote(c, "column", entity)));
        var joins = new StringBuilder();
        var n = 0;
        foreach (var label in labels.Where(l => present.Contains(l.Column)))
        {
            var alias = "l" + (n++).ToString(CultureInfo.InvariantCulture);
            var column = "t." + PostgreSqlIdentifier.Quote(label.Column, "column", entity);
            sql.Append(", ").Append(alias).Append('.').Append(Q(MetadataTables.Label)).Append(" AS ").Append(PostgreSqlIdentifier.Quote(label.Alias, "column", entity));
            var (metadata, conditions) = label.Source switch
            {
                LabelSource.State => (MetadataTables.States, $"{alias}.{Q(MetadataTables.EntityName)} = {Literal(entity)} AND {alias}.{Q(MetadataTables.State)} = {column}"),
                LabelSource.Status => (MetadataTables.Statuses, $"{alias}.{Q(MetadataTables.EntityName)} = {Literal(entity)} AND {alias}.{Q(MetadataTables.Status)} = {column}"),
                LabelSource.GlobalOptionSet => (MetadataTables.GlobalOptionSets,
                    $"{alias}.{Q(MetadataTables.OptionSetName)} = {Literal(label.Column)} AND {alias}.{Q(MetadataTables.GlobalOptionSetName)} = {Literal(label.GlobalOptionSetName!)} AND {alias}.{Q(MetadataTables.Option)} = {column}"),
                _ => (MetadataTables.OptionSets,
                    $"{alias}.{Q(MetadataTables.EntityName)} = {Literal(entity)} AND {alias}.{Q(MetadataTables.OptionSetName)} = {Literal(label.Column)} AND {alias}.{Q(MetadataTables.Option)} = {column}"),
            };
            joins.Append("\nLEFT JOIN ").Append(Owned(metadata)).Append(" AS ").Append(alias).Append(" ON ").Append(conditions)
                .Append(" AND ").Append(alias).Append('.').Append(Q(MetadataTables.LanguageCode)).Append(" = ")
                .Append(LabelLanguageCode.ToString(CultureInfo.InvariantCulture));
        }

        return sql.Append("\nFROM ").Append(Qualified(table, entity)).Append(" AS t").Append(joins).Append(';').ToString();
    }

    public string AddColumn(string table, TableColumn column, string entity) =>
        $"ALTER TABLE {Qualified(table, entity)} ADD COLUMN {PostgreSqlIdentifier.Quote(column.Name, "column", entity)} {TypeName(column)} NULL;";

    /// <summary>
    /// varchar(n) to a longer varchar or text only changes the catalog; numeric(38,p) to numeric(38,q) and integer to
    /// bigint rewrite the table but keep every value (a value that no longer fits fails the statement, never truncates).
    /// </summary>
    public string WidenColumn(string table, TableColumn column, string entity)
    {
        var name = PostgreSqlIdentifier.Quote(column.Name, "column", entity);
        return $"ALTER TABLE {Qualified(table, entity)} ALTER COLUMN {name} TYPE {TypeName(column)};";
    }

    public string DropColumn(string table, string column, string entity) =>
        $"ALTER TABLE {Qualified(table, entity)} DROP COLUMN {PostgreSqlIdentifier.Quote(column, "column", entity)};";

    public string RenameTable(string from, string to, string entity) =>
        $"ALTER TABLE {Qualified(from, entity)} RENAME TO {PostgreSqlIdentifier.Quote(to, "table", entity)};";

    public string RenameConstraint(string table, string from, string to, string entity) =>
        $"ALTER TABLE {Qualified(table, entity)} RENAME CONSTRAINT {PostgreSqlIdentifier.Quote(from, "constraint", entity)} TO {PostgreSqlIdentifier.Quote(to, "constraint", entity)};";

    /// <summary>A replicator-owned table.</summary>
    public string CreateOwnedTable(OwnedTable table)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(Owned(table)).Append(" (\n");
        foreach (var column in table.Columns)
        {
            // BY DEFAULT rather than ALWAYS: DBAs can migrate old DES rows with their ids.
            var type = TypeName(column.Type, column.MaxLength, null) + (column.Identity ? " GENERATED BY DEFAULT AS IDENTITY" : "");
            AppendColumn(sql, Q(column.Name), type, column.Nullable ? "NULL" : "NOT NULL");
        }

        sql.Append("    PRIMARY KEY (").AppendJoin(", ", table.PrimaryKey.Select(Q)).Append(")\n);");
        return sql.ToString();
    }

    private IEnumerable<string> CreateIndexes(OwnedTable table) => table.Indexes.Select(index =>
        $"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX IF NOT EXISTS {Q(index.Name(table.Name))} ON {Owned(table)} ({string.Join(", ", index.Columns.Select(Q))});");

    /// <summary>A validated identifier as a string literal (view definitions cannot take parameters).</summary>
    private static string Literal(string identifier) => "'" + Identifier.Validate(identifier, "name").Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void AppendColumn(StringBuilder sql, string quotedName, string type, string constraint) =>
        sql.Append("    ").Append(quotedName).Append(' ').Append(type).Append(' ').Append(constraint).Append(",\n");

    private static string Q(string trustedName) => PostgreSqlIdentifier.Quote(trustedName, "column");

    [GeneratedRegex(@"^(?<name>[a-z ]+?)(?:\((?<a>\d+)(?:,(?<b>\d+))?\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();
}
