using System.Globalization;
using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// SQL Server / Azure SQL DDL and type mapping (DESIGN.md's table), generated from the layout, <see cref="StateTables"/>
/// and <see cref="MetadataTables"/> so the same text can be printed as scripts for DBAs. Standard: uniqueidentifier,
/// nvarchar(n) (nvarchar(max) above 4000 or unbounded), int, bigint, decimal(38,p), float, bit, datetime2 (UTC), date.
/// <see cref="SchemaCompatibility.Des"/> reproduces the Data Export Service's shape: datetime instead of datetime2 for
/// values and the sync columns (the layout already stores DateOnly values as DateTime and Doubles as decimal(38,p) in
/// that mode). SQL Server has no CREATE TABLE IF NOT EXISTS, so creations are guarded by OBJECT_ID. Primary keys are
/// named <c>PK_&lt;table&gt;</c> (a swap renames them back), defaults are left unnamed (system names never clash).
/// </summary>
internal sealed class SqlServerSchemaWriter(string schema, string stateSchema, int labelLanguageCode = TargetOptions.DefaultLabelLanguageCode)
{
    /// <summary>Session temp tables of a page commit (dropped when the pooled connection is reset, or by the next commit).</summary>
    public const string StageTable = "#reportingsync_stage";
    public const string KeysTable = "#reportingsync_keys";
    public const string DeletesTable = "#reportingsync_deletes";

    public string Schema { get; } = SqlServerIdentifier.Validate(schema, "schema");
    public string StateSchema { get; } = SqlServerIdentifier.Validate(stateSchema, "state schema");
    public int LabelLanguageCode { get; } = labelLanguageCode;

    public static string TypeName(ColumnStorageType type, int? maxLength, int? precision, SchemaCompatibility compatibility = SchemaCompatibility.Standard) => type switch
    {
        ColumnStorageType.Guid => "uniqueidentifier",
        ColumnStorageType.String => maxLength is > 0 and <= 4000 ? $"nvarchar({maxLength.Value.ToString(CultureInfo.InvariantCulture)})" : "nvarchar(max)",
        ColumnStorageType.Int32 => "int",
        ColumnStorageType.Int64 => "bigint",
        ColumnStorageType.Decimal => $"decimal(38,{Math.Clamp(precision ?? 2, 0, 38).ToString(CultureInfo.InvariantCulture)})",
        ColumnStorageType.Double => "float",
        ColumnStorageType.Boolean => "bit",
        ColumnStorageType.DateTime => compatibility == SchemaCompatibility.Des ? "datetime" : "datetime2",
        ColumnStorageType.Date => "date",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No SQL Server type for this storage type."),
    };

    public static string TypeName(TableColumn column, SchemaCompatibility compatibility) =>
        TypeName(column.Type, column.MaxLength, column.Precision, compatibility);

    /// <summary>
    /// The storage type a column maps back to, from sys.columns/sys.types (<paramref name="maxLength"/> in bytes, -1 for
    /// max; precision and scale). Also reads varchar and numeric, which DBAs sometimes use. Returns the type as spelled.
    /// </summary>
    public static (ColumnStorageType? Type, int? MaxLength, int? Precision, string Spelled) ParseType(string type, int maxLength, int precision, int scale)
    {
        string Sized(int length) => length < 0 ? $"{type}(max)" : $"{type}({length.ToString(CultureInfo.InvariantCulture)})";
        return type switch
        {
            "uniqueidentifier" => (ColumnStorageType.Guid, null, null, type),
            "nvarchar" or "nchar" => (ColumnStorageType.String, maxLength < 0 ? null : maxLength / 2, null, Sized(maxLength < 0 ? -1 : maxLength / 2)),
            "varchar" or "char" => (ColumnStorageType.String, maxLength < 0 ? null : maxLength, null, Sized(maxLength)),
            "int" => (ColumnStorageType.Int32, null, null, type),
            "bigint" => (ColumnStorageType.Int64, null, null, type),
            "decimal" or "numeric" => (ColumnStorageType.Decimal, null, scale,
                $"{type}({precision.ToString(CultureInfo.InvariantCulture)},{scale.ToString(CultureInfo.InvariantCulture)})"),
            "float" => (ColumnStorageType.Double, null, null, type),
            "bit" => (ColumnStorageType.Boolean, null, null, type),
            "datetime2" or "datetime" => (ColumnStorageType.DateTime, null, null, type),
            "date" => (ColumnStorageType.Date, null, null, type),
            _ => (null, null, null, type),
        };
    }

    /// <summary>CREATE SCHEMA must be alone in its batch, so it runs through EXEC when the schema is missing.</summary>
    public static string CreateSchema(string name)
    {
        var quoted = SqlServerIdentifier.Quote(name, "schema");
        return $"IF SCHEMA_ID({SqlServerIdentifier.Literal(name)}) IS NULL EXEC({SqlServerIdentifier.Literal("CREATE SCHEMA " + quoted)});";
    }

    public string Qualified(string table, string? entity = null) => SqlServerIdentifier.Qualify(Schema, table, "table", entity);

    /// <summary>Schema-qualified, quoted name of an owned table.</summary>
    public string Owned(OwnedTable table) => SqlServerIdentifier.Qualify(table.InStateSchema ? StateSchema : Schema, table.Name, "table");

    /// <summary><c>PK_&lt;table&gt;</c>, validated as a name of its own.</summary>
    public static string PrimaryKeyName(string table, string? entity = null) => SqlServerIdentifier.Validate("PK_" + table, "primary key", entity);

    /// <summary>The entity table: layout columns, then the sync columns, keyed by Id.</summary>
    public string CreateTable(TableLayout layout, string? tableName = null)
    {
        var table = tableName ?? layout.TableName;
        var qualified = Qualified(table, layout.EntityName);
        var compatibility = layout.Options.Compatibility;
        var sql = new StringBuilder();
        sql.Append("IF OBJECT_ID(").Append(SqlServerIdentifier.Literal(qualified)).Append(", N'U') IS NULL\nCREATE TABLE ").Append(qualified).Append(" (\n");
        foreach (var column in layout.Columns)
        {
            var nullability = column.Name == SyncColumns.Id ? "NOT NULL" : "NULL";
            AppendColumn(sql, SqlServerIdentifier.Quote(column.Name, "column", layout.EntityName), TypeName(column, compatibility), nullability);
        }

        var sinkType = TypeName(ColumnStorageType.DateTime, null, null, compatibility);
        AppendColumn(sql, Q(SyncColumns.SinkCreatedOn), sinkType, "NOT NULL");
        AppendColumn(sql, Q(SyncColumns.SinkModifiedOn), sinkType, "NOT NULL");
        if (layout.Options.SoftDeletes)
        {
            AppendColumn(sql, Q(SyncColumns.IsDeleted), "bit", "NOT NULL DEFAULT 0");
        }

        sql.Append("    CONSTRAINT ").Append(SqlServerIdentifier.Quote(PrimaryKeyName(table, layout.EntityName), "primary key", layout.EntityName))
            .Append(" PRIMARY KEY CLUSTERED (").Append(Q(SyncColumns.Id)).Append(")\n);");
        return sql.ToString();
    }

    /// <summary>The page's staging table: layout columns, keyed by Id (rows are de-duplicated), in the session's tempdb.</summary>
    public static string CreateStage(TableLayout layout)
    {
        var sql = new StringBuilder(DropTemp(StageTable)).Append("\nCREATE TABLE ").Append(Q(StageTable)).Append(" (");
        foreach (var column in layout.Columns)
        {
            sql.Append(SqlServerIdentifier.Quote(column.Name, "column", layout.EntityName)).Append(' ').Append(TypeName(column, layout.Options.Compatibility))
                .Append(column.Name == SyncColumns.Id ? " NOT NULL PRIMARY KEY" : " NULL").Append(", ");
        }

        sql.Length -= 2;
        return sql.Append(");").ToString();
    }

    /// <summary>Ids of a bulk-loaded page, to find out before copying whether any already exist.</summary>
    public static string CreateKeys() => $"{DropTemp(KeysTable)}\nCREATE TABLE {Q(KeysTable)} ({Q(SyncColumns.Id)} uniqueidentifier NOT NULL PRIMARY KEY);";

    /// <summary>A page's deletes with their position, so the DeleteLog keeps page order.</summary>
    public static string CreateDeletes() =>
        $"{DropTemp(DeletesTable)}\nCREATE TABLE {Q(DeletesTable)} ({Q("Seq")} int NOT NULL, {Q(SyncColumns.Id)} uniqueidentifier NOT NULL PRIMARY KEY);";

    /// <summary>
    /// Schemas, every owned table (state, history, quarantine, commands in the state schema; DeleteLog and the metadata
    /// tables in the data schema) with its indexes, then the upgrade of an EntityState table created by the first
    /// version. Every statement is guarded, so the script can run again.
    /// </summary>
    public IReadOnlyList<string> CreateStateTables() =>
    [
        .. CreateSchemas(),
        .. StateTables.All.SelectMany(CreateOwned),
        UpgradeEntityState(),
    ];

    /// <summary>The data and state schemas, each when missing.</summary>
    public IEnumerable<string> CreateSchemas() => new[] { Schema, StateSchema }.Distinct(StringComparer.OrdinalIgnoreCase).Select(CreateSchema);

    /// <summary>An owned table and its indexes.</summary>
    public IEnumerable<string> CreateOwned(OwnedTable table) => new[] { CreateOwnedTable(table) }.Concat(CreateIndexes(table));

    /// <summary>Adds the columns the first version's EntityState lacks; a no-op on a current table.</summary>
    public string UpgradeEntityState()
    {
        var table = Owned(StateTables.EntityStateTable);
        return string.Join("\n", StateTables.EntityStateAddedColumns.Select(c =>
            $"IF COL_LENGTH({SqlServerIdentifier.Literal(table)}, {SqlServerIdentifier.Literal(c.Name)}) IS NULL ALTER TABLE {table} ADD {Q(c.Name)} {TypeName(c.Type, c.MaxLength, null)} NULL;"));
    }

    /// <summary>A replicator-owned table (datetime2 always: these are not part of the DES shape analysts query).</summary>
    public string CreateOwnedTable(OwnedTable table)
    {
        var qualified = Owned(table);
        var sql = new StringBuilder();
        sql.Append("IF OBJECT_ID(").Append(SqlServerIdentifier.Literal(qualified)).Append(", N'U') IS NULL\nCREATE TABLE ").Append(qualified).Append(" (\n");
        foreach (var column in table.Columns)
        {
            var type = TypeName(column.Type, column.MaxLength, null) + (column.Identity ? " IDENTITY(1,1)" : "");
            AppendColumn(sql, Q(column.Name), type, column.Nullable ? "NULL" : "NOT NULL");
        }

        sql.Append("    CONSTRAINT ").Append(Q(PrimaryKeyName(table.Name))).Append(" PRIMARY KEY CLUSTERED (").AppendJoin(", ", table.PrimaryKey.Select(Q)).Append(")\n);");
        return sql.ToString();
    }

    public string DropTable(string table, string? entity = null)
    {
        var qualified = Qualified(table, entity);
        return $"IF OBJECT_ID({SqlServerIdentifier.Literal(qualified)}, N'U') IS NOT NULL DROP TABLE {qualified};";
    }

    public string DropLabelView(TableLayout layout)
    {
        var view = Qualified(LabelViews.ViewName(layout), layout.EntityName);
        return $"IF OBJECT_ID({SqlServerIdentifier.Literal(view)}, N'V') IS NOT NULL DROP VIEW {view};";
    }

    /// <summary>
    /// The <c>&lt;entity&gt;_labelled</c> view over <paramref name="table"/>: its <paramref name="columns"/> as they are in the
    /// database, then one label per <see cref="LabelColumn"/> whose column exists. CREATE VIEW must be alone in its batch.
    /// Names and literals are validated identifiers (views take no parameters).
    /// </summary>
    public string CreateLabelView(TableLayout layout, string table, IReadOnlyList<string> columns, IReadOnlyList<LabelColumn> labels)
    {
        var entity = layout.EntityName;
        var present = new HashSet<string>(columns, StringComparer.Ordinal);
        var sql = new StringBuilder("CREATE VIEW ").Append(Qualified(LabelViews.ViewName(layout), entity)).Append(" AS\nSELECT ");
        sql.AppendJoin(", ", columns.Select(c => "t." + SqlServerIdentifier.Quote(c, "column", entity)));
        var joins = new StringBuilder();
        var n = 0;
        foreach (var label in labels.Where(l => present.Contains(l.Column)))
        {
            var alias = "l" + (n++).ToString(CultureInfo.InvariantCulture);
            var column = "t." + SqlServerIdentifier.Quote(label.Column, "column", entity);
            sql.Append(", ").Append(alias).Append('.').Append(Q(MetadataTables.Label)).Append(" AS ").Append(SqlServerIdentifier.Quote(label.Alias, "column", entity));
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

    public string AddColumn(string table, TableColumn column, TableLayout layout) =>
        $"ALTER TABLE {Qualified(table, layout.EntityName)} ADD {SqlServerIdentifier.Quote(column.Name, "column", layout.EntityName)} {TypeName(column, layout.Options.Compatibility)} NULL;";

    /// <summary>ALTER COLUMN restates nullability; nvarchar(n) to more or to max, decimal scale up and int to bigint keep every value.</summary>
    public string WidenColumn(string table, TableColumn column, TableLayout layout) =>
        $"ALTER TABLE {Qualified(table, layout.EntityName)} ALTER COLUMN {SqlServerIdentifier.Quote(column.Name, "column", layout.EntityName)} {TypeName(column, layout.Options.Compatibility)} NULL;";

    public string DropColumn(string table, string column, string entity) =>
        $"ALTER TABLE {Qualified(table, entity)} DROP COLUMN {SqlServerIdentifier.Quote(column, "column", entity)};";

    private IEnumerable<string> CreateIndexes(OwnedTable table) => table.Indexes.Select(index =>
        $"IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = {SqlServerIdentifier.Literal(index.Name(table.Name))} AND object_id = OBJECT_ID({SqlServerIdentifier.Literal(Owned(table))}))\n" +
        $"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {Q(index.Name(table.Name))} ON {Owned(table)} ({string.Join(", ", index.Columns.Select(Q))});");

    private static string DropTemp(string table) => $"IF OBJECT_ID(N'tempdb..{table}') IS NOT NULL DROP TABLE {Q(table)};";

    /// <summary>A validated identifier as a Unicode string literal (view definitions cannot take parameters).</summary>
    private static string Literal(string identifier) => SqlServerIdentifier.Literal(Identifier.Validate(identifier, "name"));

    private static void AppendColumn(StringBuilder sql, string quotedName, string type, string constraint) =>
        sql.Append("    ").Append(quotedName).Append(' ').Append(type).Append(' ').Append(constraint).Append(",\n");

    private static string Q(string trustedName) => "[" + trustedName.Replace("]", "]]", StringComparison.Ordinal) + "]";
}
