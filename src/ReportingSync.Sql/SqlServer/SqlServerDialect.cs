using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.SqlClient;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// SQL Server / Azure SQL spellings (DESIGN.md's table): uniqueidentifier, nvarchar(n) (nvarchar(max) above 4000 or
/// unbounded), int, bigint, decimal(38,p), float, bit, datetime2 (UTC), date. <see cref="SchemaCompatibility.Des"/>
/// reproduces the Data Export Service's shape: datetime instead of datetime2 for values and the sync columns. SQL Server
/// has no CREATE TABLE IF NOT EXISTS, so creations are guarded by OBJECT_ID; no INSERT ... ON CONFLICT, so upserts are a
/// MERGE; no IS DISTINCT FROM before 2022, so null-safe comparisons are spelled out. Primary keys are named
/// <c>PK_&lt;table&gt;</c> (a swap renames them back). What runs on a connection is in <c>SqlServerDialect.Operations.cs</c>.
/// </summary>
internal sealed partial class SqlServerDialect(string schema, string stateSchema, string endpoint, string? password) : SchemaQualifiedDialect(schema, stateSchema)
{
    /// <summary>sysname: 128 characters.</summary>
    public static IdentifierRules Identifiers { get; } = new("[", "]", 128, "character", "SQL Server", "SQL Server names hold at most 128");

    public override TargetProvider Provider => TargetProvider.SqlServer;

    public override IdentifierRules Names => Identifiers;

    public override string Endpoint => endpoint;

    public override string Literal(string identifier) => NLiteral(Identifier.Validate(identifier, "name"));

    /// <summary>A Unicode string literal, <c>N'...'</c>, of an already quoted or validated name (for OBJECT_ID and views).</summary>
    public static string NLiteral(string text) => "N'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public override string TypeName(ColumnStorageType type, int? maxLength, int? precision, SchemaCompatibility compatibility = SchemaCompatibility.Standard) => type switch
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

    public override DbParameter Parameter(string name, ColumnStorageType type, object? value, int? size = null) => SqlServerValues.Parameter(name, type, value, size);

    /// <summary>SqlClient returns a date as a DateTime.</summary>
    protected override DateOnly ReadDate(DbDataReader reader, int ordinal) => DateOnly.FromDateTime(reader.GetDateTime(ordinal));

    public override string? Problem(TableColumn column, object value, SchemaCompatibility compatibility) => SqlServerValues.Problem(column, value, compatibility);

    public override TargetException? Translate(Exception exception) => SqlServerErrors.Translate(exception, endpoint, password);

    // ---- Syntax ----

    public override string True => "1";

    public override string False => "0";

    public override string UtcNow => "SYSUTCDATETIME()";

    public override string UtcNowPlus(string parameter) => $"DATEADD(millisecond, {parameter}, SYSUTCDATETIME())";

    public override DbParameter DurationParameter(string name, TimeSpan duration) =>
        new SqlParameter(name, SqlDbType.Int) { Value = (int)Math.Min(int.MaxValue, duration.TotalMilliseconds) };

    public override string NullSafeEquals(string a, string b) => $"({a} = {b} OR ({a} IS NULL AND {b} IS NULL))";

    /// <summary>EXCEPT compares NULL equal to NULL and yields true or false, never NULL (no IS DISTINCT FROM before 2022).</summary>
    public override string RowsDiffer(IReadOnlyList<string> left, IReadOnlyList<string> right) =>
        $"EXISTS (SELECT {string.Join(", ", left)} EXCEPT SELECT {string.Join(", ", right)})";

    /// <summary>
    /// A MERGE with HOLDLOCK on the target, as the well-known MERGE caveats advise (without it MERGE's match-then-act is
    /// open to races); the entity's state row compare-and-set already serialises its writers, so it costs nothing and
    /// closes the gap for anyone else writing the table. Replicated tables have no triggers, filtered indexes or foreign
    /// keys of ours, which is where MERGE's documented bugs live.
    /// </summary>
    public override string Upsert(UpsertSpec spec)
    {
        var sql = new StringBuilder();
        if (spec.OnlyIf is not null)
        {
            sql.Append("IF ").Append(spec.OnlyIf).Append('\n');
        }

        sql.Append("MERGE INTO ").Append(spec.Table).Append(" WITH (HOLDLOCK) AS t\nUSING ");
        if (spec.From is not null)
        {
            sql.Append(spec.From);
        }
        else
        {
            sql.Append("(SELECT ").AppendJoin(", ", spec.Columns.Select((c, i) => $"{spec.Values[i]} AS {c}")).Append(") AS s");
        }

        sql.Append(" ON ").AppendJoin(" AND ", spec.Key.Select(k => $"t.{k} = s.{k}")).Append('\n');
        if (spec.Update.Count > 0 || spec.Set.Count > 0)
        {
            sql.Append("WHEN MATCHED");
            if (spec.When is not null)
            {
                sql.Append(" AND (").Append(spec.When("t", "s")).Append(')');
            }

            sql.Append(" THEN\n    UPDATE SET ").AppendJoin(", ", spec.Update.Select(c => $"{c} = s.{c}").Concat(spec.Set.Select(s => $"{s.Column} = {s.Value}"))).Append('\n');
        }

        var inserted = spec.From is null ? spec.Columns.Select(c => "s." + c) : spec.Values;
        return sql.Append("WHEN NOT MATCHED BY TARGET THEN\n    INSERT (").AppendJoin(", ", spec.Columns).Append(")\n    VALUES (").AppendJoin(", ", inserted).Append(");").ToString();
    }

    public override string DeleteFrom(string table, string alias) => $"DELETE {alias} FROM {table} AS {alias}";

    public override string UpdateSet(string table, string alias, string assignments) => $"UPDATE {alias} SET {assignments} FROM {table} AS {alias}";

    public override string UpdateFrom(string table, string alias, string assignments, string source, string sourceAlias, string on) =>
        $"UPDATE {alias} SET {assignments} FROM {table} AS {alias} INNER JOIN {source} AS {sourceAlias} ON {on}";

    public override string InsertReturning(string table, string columns, string values, string id) =>
        $"INSERT INTO {table} ({columns}) OUTPUT inserted.{id} VALUES ({values});";

    public override string SelectFirst(string selectBody, string limitParameter) => $"SELECT TOP ({limitParameter}) {selectBody};";

    public override string BigIntCast => "bigint";

    public override string CountAll => "COUNT_BIG(*)";

    /// <summary>
    /// TRUNCATE TABLE is transactional in SQL Server (it rolls back with the page) and deallocates the table's pages
    /// instead of logging every row, so a million rows clear as fast as ten. It needs ALTER on the table, which the writer
    /// role of sql/sqlserver/roles.sql has on its schemas, and SQL Server refuses it for a table that a foreign key
    /// references, that an indexed view uses, or that replication publishes (docs/sqlserver.md). Its schema-modification
    /// lock lasts until the page commits, blocking readers for that one page; a seed starts over rarely (a refused link),
    /// and the re-seed's shadow table has no readers.
    /// </summary>
    public override string ClearTable(string qualified) => $"TRUNCATE TABLE {qualified};";

    /// <summary>SQL Server's uniqueidentifier order compares the last byte group first; the text order is what the others give.</summary>
    public override string OrderById(string column) => $"CONVERT(char(36), {column})";

    /// <summary>SQL Server takes at most 2,100 parameters per request.</summary>
    public override int MaxParameters => 2_000;

    // ---- DDL ----

    public override string CreateTableIfMissing(string qualified, string body) =>
        $"IF OBJECT_ID({NLiteral(qualified)}, N'U') IS NULL\nCREATE TABLE {qualified} (\n{body});";

    /// <summary><c>PK_&lt;table&gt;</c>, validated as a name of its own.</summary>
    public static string PrimaryKeyName(string table, string? entity = null) => Identifiers.Validate("PK_" + table, "primary key", entity);

    public override string PrimaryKey(string table, IEnumerable<string> quotedColumns, string? entity = null) =>
        $"CONSTRAINT {Quote(PrimaryKeyName(table, entity), "primary key", entity)} PRIMARY KEY CLUSTERED ({string.Join(", ", quotedColumns)})";

    public override (string Type, string Constraint, bool IsKey) Identity(StateColumn column) => (TypeName(column.Type, null, null) + " IDENTITY(1,1)", "NOT NULL", false);

    public override string CreateIndexIfMissing(string name, string qualifiedTable, IEnumerable<string> quotedColumns, bool unique) =>
        $"IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = {NLiteral(name)} AND object_id = OBJECT_ID({NLiteral(qualifiedTable)}))\n" +
        $"CREATE {(unique ? "UNIQUE " : "")}INDEX {Quote(name, "index")} ON {qualifiedTable} ({string.Join(", ", quotedColumns)});";

    public override string DropTableIfExists(string qualified) => $"IF OBJECT_ID({NLiteral(qualified)}, N'U') IS NOT NULL DROP TABLE {qualified};";

    public override string DropViewIfExists(string qualified) => $"IF OBJECT_ID({NLiteral(qualified)}, N'V') IS NOT NULL DROP VIEW {qualified};";

    public override string AddColumn(string qualified, string quotedColumn, string type, string constraint = "NULL") =>
        $"ALTER TABLE {qualified} ADD {quotedColumn} {type} {constraint};";

    /// <summary>
    /// Values that cannot become the new type are set to NULL first (a type-change rebuild applies the shadow's values
    /// next; TRY_CONVERT leaves the others, so rows whose value converts to what the shadow holds are not written twice),
    /// then ALTER COLUMN, which keeps the column's id and with it its permissions and extended properties.
    /// </summary>
    public override IReadOnlyList<string> RetypeColumn(string qualified, string quotedColumn, string type) =>
    [
        $"UPDATE {qualified} SET {quotedColumn} = NULL WHERE {quotedColumn} IS NOT NULL AND TRY_CONVERT({type}, {quotedColumn}) IS NULL;",
        $"ALTER TABLE {qualified} ALTER COLUMN {quotedColumn} {type} NULL;",
    ];

    /// <summary>ALTER COLUMN restates nullability; nvarchar(n) to more or to max, decimal scale up and int to bigint keep every value.</summary>
    public override string WidenColumn(string qualified, string quotedColumn, string type) => $"ALTER TABLE {qualified} ALTER COLUMN {quotedColumn} {type} NULL;";

    /// <summary>CREATE SCHEMA must be alone in its batch, so it runs through EXEC when the schema is missing.</summary>
    public override IEnumerable<string> CreateSchemaStatements() =>
        new[] { Schema, StateSchema }.Distinct(StringComparer.OrdinalIgnoreCase).Select(name =>
            $"IF SCHEMA_ID({NLiteral(name)}) IS NULL EXEC({NLiteral("CREATE SCHEMA " + Quote(name, "schema"))});");

    public override IEnumerable<string> UpgradeScript(OwnedTable table, IReadOnlyList<StateColumn> added)
    {
        var qualified = Owned(table);
        return
        [
            string.Join("\n", added.Select(c =>
                $"IF COL_LENGTH({NLiteral(qualified)}, {NLiteral(c.Name)}) IS NULL " +
                AddColumn(qualified, Quote(c.Name), TypeName(c.Type, c.MaxLength, null)))),
        ];
    }

    /// <summary>CREATE VIEW and CREATE SCHEMA must start a batch.</summary>
    public override string? ScriptBatchSeparator => "GO";
}
