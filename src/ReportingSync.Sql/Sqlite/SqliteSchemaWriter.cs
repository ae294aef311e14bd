using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// SQLite DDL and type mapping, generated from the layout and <see cref="StateTables"/>. SQLite has five storage
/// classes, so several types become TEXT in a fixed format that reads back exactly (see <see cref="SqliteValues"/>):
/// Guid as lowercase "D", DateTime as fixed-width ISO-8601 UTC (sorts as text), Date as yyyy-MM-dd, and Decimal as its
/// invariant text. Decimal is declared TEXT on purpose: a NUMERIC or DECIMAL declaration has NUMERIC affinity, which
/// turns '12.3400' into a REAL and loses digits beyond 15-17 significant ones; TEXT affinity stores the text as given.
/// State tables live in the main database with a prefix (reportingsync_EntityState) rather than in an attached
/// database: in WAL mode a transaction spanning attached files is atomic per file only, and the page commit must
/// write data and state atomically.
/// </summary>
internal sealed class SqliteSchemaWriter(string statePrefix)
{
    /// <summary>Prefix of the state tables, e.g. "reportingsync_".</summary>
    public string StatePrefix { get; } = SqliteIdentifier.Validate(statePrefix, "state table prefix") + "_";

    public string EntityStateTable => StatePrefix + StateTables.EntityState;
    public string SyncHistoryTable => StatePrefix + StateTables.SyncHistory;

    public static string TypeName(ColumnStorageType type) => type switch
    {
        ColumnStorageType.Guid or ColumnStorageType.String or ColumnStorageType.Decimal
            or ColumnStorageType.DateTime or ColumnStorageType.Date => "TEXT",
        ColumnStorageType.Int32 or ColumnStorageType.Int64 or ColumnStorageType.Boolean => "INTEGER",
        ColumnStorageType.Double => "REAL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No SQLite type for this storage type."),
    };

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
            AppendColumn(sql, SqliteIdentifier.Quote(column.Name, "column", layout.EntityName), TypeName(column.Type), nullability);
        }

        AppendColumn(sql, Q(SyncColumns.SinkCreatedOn), "TEXT", "NOT NULL");
        AppendColumn(sql, Q(SyncColumns.SinkModifiedOn), "TEXT", "NOT NULL");
        if (layout.Options.SoftDeletes)
        {
            AppendColumn(sql, Q(SyncColumns.IsDeleted), "INTEGER", "NOT NULL DEFAULT 0");
        }

        sql.Append("    PRIMARY KEY (").Append(Q(SyncColumns.Id)).Append(")\n);");
        return sql.ToString();
    }

    public IReadOnlyList<string> CreateStateTables() =>
    [
        CreateOwnedTable(EntityStateTable, StateTables.EntityStateColumns),
        CreateOwnedTable(SyncHistoryTable, StateTables.SyncHistoryColumns),
        $"CREATE INDEX IF NOT EXISTS {Q("IX_" + SyncHistoryTable + "_EntityName_AtUtc")} ON {Q(SyncHistoryTable)} ({Q(StateTables.EntityName)}, {Q("AtUtc")});",
        CreateOwnedTable(StateTables.DeleteLog, StateTables.DeleteLogColumns),
    ];

    /// <summary>A replicator-owned table; its first column is the primary key.</summary>
    private static string CreateOwnedTable(string table, IReadOnlyList<StateColumn> columns)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE IF NOT EXISTS ").Append(Q(table)).Append(" (\n");
        var key = columns[0];
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];

            // AUTOINCREMENT so ids only ever grow: DeleteLog readers use Id as a high-water mark, and plain rowids
            // may be reused after the newest row is purged.
            var (type, constraint) = column.Identity
                ? ("INTEGER", "PRIMARY KEY AUTOINCREMENT")
                : (TypeName(column.Type), column.Nullable ? "NULL" : "NOT NULL");
            sql.Append("    ").Append(Q(column.Name)).Append(' ').Append(type).Append(' ').Append(constraint);
            sql.Append(i < columns.Count - 1 || !key.Identity ? ",\n" : "\n");
        }

        if (!key.Identity)
        {
            sql.Append("    PRIMARY KEY (").Append(Q(key.Name)).Append(")\n");
        }

        return sql.Append(");").ToString();
    }

    private static void AppendColumn(StringBuilder sql, string quotedName, string type, string constraint) =>
        sql.Append("    ").Append(quotedName).Append(' ').Append(type).Append(' ').Append(constraint).Append(",\n");

    private static string Q(string trustedName) => SqliteIdentifier.Quote(trustedName, "column");
}
