using System.Globalization;
using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// PostgreSQL DDL and type mapping, generated from the layout and <see cref="StateTables"/> so the same text can be
/// printed as scripts for DBAs. Nearest types to DESIGN.md's SQL Server mapping; <c>timestamp</c> (without time zone)
/// holds UTC values, as datetime2 does on SQL Server.
/// </summary>
internal sealed class PostgreSqlSchemaWriter(string schema, string stateSchema)
{
    /// <summary>Session temp table each upsert stages its page in; dropped when the transaction ends.</summary>
    public const string StageTable = "reportingsync_stage";

    public string Schema { get; } = PostgreSqlIdentifier.Validate(schema, "schema");
    public string StateSchema { get; } = PostgreSqlIdentifier.Validate(stateSchema, "state schema");

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
    /// EntityState and SyncHistory in the state schema, DeleteLog in the data schema (where DES consumers expect it).
    /// Schemas themselves are created separately (<see cref="CreateSchema"/>) and only when missing, because
    /// CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege on the database.
    /// </summary>
    public IReadOnlyList<string> CreateStateTables() =>
    [
        CreateOwnedTable(StateSchema, StateTables.EntityState, StateTables.EntityStateColumns),
        CreateOwnedTable(StateSchema, StateTables.SyncHistory, StateTables.SyncHistoryColumns),
        $"CREATE INDEX IF NOT EXISTS {Q("IX_SyncHistory_EntityName_AtUtc")} ON {PostgreSqlIdentifier.Qualify(StateSchema, StateTables.SyncHistory, "table")} ({Q(StateTables.EntityName)}, {Q("AtUtc")});",
        CreateOwnedTable(Schema, StateTables.DeleteLog, StateTables.DeleteLogColumns),
    ];

    /// <summary>A replicator-owned table; its first column is the primary key.</summary>
    private static string CreateOwnedTable(string schema, string table, IReadOnlyList<StateColumn> columns)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(PostgreSqlIdentifier.Qualify(schema, table, "table")).Append(" (\n");
        foreach (var column in columns)
        {
            // BY DEFAULT rather than ALWAYS: DBAs can migrate old DES rows with their ids.
            var type = TypeName(column.Type, column.MaxLength, null) + (column.Identity ? " GENERATED BY DEFAULT AS IDENTITY" : "");
            AppendColumn(sql, Q(column.Name), type, column.Nullable ? "NULL" : "NOT NULL");
        }

        sql.Append("    PRIMARY KEY (").Append(Q(columns[0].Name)).Append(")\n);");
        return sql.ToString();
    }

    private static void AppendColumn(StringBuilder sql, string quotedName, string type, string constraint) =>
        sql.Append("    ").Append(quotedName).Append(' ').Append(type).Append(' ').Append(constraint).Append(",\n");

    private static string Q(string trustedName) => PostgreSqlIdentifier.Quote(trustedName, "column");
}
