using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// DML text for entity tables. Names are validated and quoted; values are always parameters
/// (<c>$p0</c>.. in layout order, <c>$now</c>, <c>$id</c>).
/// </summary>
internal static class SqliteStatements
{
    public const string NowParameter = "$now";
    public const string IdParameter = "$id";

    public static string ValueParameter(int ordinal) => "$p" + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Single-row INSERT, prepared once and re-run per row inside the page's transaction (SQLite does this at
    /// hundreds of thousands of rows a second: no round trips, one journal write at commit). With
    /// <paramref name="upsert"/>, the ON CONFLICT arm is the staleness guard: an older versionnumber never
    /// overwrites a newer row, and a skipped row reports no change. SinkCreatedOn is only set on insert.
    /// </summary>
    public static string Insert(string table, TableLayout layout, bool upsert)
    {
        var quotedTable = SqliteIdentifier.Quote(table, "table", layout.EntityName);
        var sql = new StringBuilder("INSERT INTO ").Append(quotedTable).Append(" (");
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(Quote(layout.Columns[i], layout));
        }

        sql.Append(", ").Append(Q(SyncColumns.SinkCreatedOn)).Append(", ").Append(Q(SyncColumns.SinkModifiedOn));
        if (layout.Options.SoftDeletes)
        {
            sql.Append(", ").Append(Q(SyncColumns.IsDeleted));
        }

        sql.Append(")\nVALUES (");
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(ValueParameter(i));
        }

        sql.Append(", ").Append(NowParameter).Append(", ").Append(NowParameter).Append(layout.Options.SoftDeletes ? ", 0)" : ")");
        if (!upsert)
        {
            return sql.Append(';').ToString();
        }

        sql.Append("\nON CONFLICT (").Append(Q(SyncColumns.Id)).Append(") DO UPDATE SET ");
        foreach (var column in layout.Columns)
        {
            if (column.Name == SyncColumns.Id)
            {
                continue;
            }

            var name = Quote(column, layout);
            sql.Append(name).Append(" = excluded.").Append(name).Append(", ");
        }

        sql.Append(Q(SyncColumns.SinkModifiedOn)).Append(" = excluded.").Append(Q(SyncColumns.SinkModifiedOn));
        if (layout.Options.SoftDeletes)
        {
            // A row that comes back (restored in Dataverse) is no longer deleted.
            sql.Append(", ").Append(Q(SyncColumns.IsDeleted)).Append(" = 0");
        }

        var version = Q(SyncColumns.Version);
        sql.Append("\nWHERE ").Append(quotedTable).Append('.').Append(version).Append(" IS NULL OR excluded.").Append(version)
            .Append(" >= ").Append(quotedTable).Append('.').Append(version).Append(';');
        return sql.ToString();
    }

    public static string HardDelete(string quotedTable) => $"DELETE FROM {quotedTable} WHERE {Q(SyncColumns.Id)} = {IdParameter};";

    /// <summary>Only rows not yet marked count as deleted, so replaying a page reports what it changed.</summary>
    public static string SoftDelete(string quotedTable) =>
        $"UPDATE {quotedTable} SET {Q(SyncColumns.IsDeleted)} = 1, {Q(SyncColumns.SinkModifiedOn)} = {NowParameter} " +
        $"WHERE {Q(SyncColumns.Id)} = {IdParameter} AND {Q(SyncColumns.IsDeleted)} = 0;";

    public static string Count(string quotedTable) => $"SELECT count(*) FROM {quotedTable};";

    public static string ClearTable(string quotedTable) => $"DELETE FROM {quotedTable};";

    public static string SelectRows(string quotedTable, TableLayout layout)
    {
        var sql = new StringBuilder("SELECT ");
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(Quote(layout.Columns[i], layout));
        }

        return sql.Append(" FROM ").Append(quotedTable).Append(" ORDER BY ").Append(Q(SyncColumns.Id)).Append(';').ToString();
    }

    /// <summary>Parameter of an owned table's column in the metadata statements: <c>$p&lt;ordinal among writable columns&gt;</c>.</summary>
    public static string OwnedParameter(int ordinal) => "$p" + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One metadata row in; every writable column a parameter.</summary>
    public static string InsertOwned(string quoted, OwnedTable table) =>
        $"INSERT INTO {quoted} ({string.Join(", ", table.Writable.Select(c => Q(c.Name)))}) " +
        $"VALUES ({string.Join(", ", table.Writable.Select((_, i) => OwnedParameter(i)))});";

    /// <summary>One metadata row's values replaced, found by its match key (a renamed label is updated, not added).</summary>
    public static string UpdateOwned(string quoted, OwnedTable table) =>
        $"UPDATE {quoted} SET {string.Join(", ", Writable(table).Where(c => !table.MatchKey.Contains(c.Name)).Select(c => $"{Q(c.Name)} = {OwnedParameter(c.Ordinal)}"))} " +
        $"WHERE {KeyCondition(table)};";

    public static string DeleteOwned(string quoted, OwnedTable table) => $"DELETE FROM {quoted} WHERE {KeyCondition(table)};";

    /// <summary>The rows a metadata sync owns: those whose scope column holds one of <c>$s0</c>, <c>$s1</c>, ...</summary>
    public static string SelectOwnedScope(string quoted, OwnedTable table, int scopeValues) =>
        $"SELECT {string.Join(", ", table.Writable.Select(c => Q(c.Name)))} FROM {quoted} WHERE {Q(table.ScopeColumn!)} IN ({string.Join(", ", Enumerable.Range(0, scopeValues).Select(ScopeParameter))});";

    public static string ScopeParameter(int ordinal) => "$s" + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string KeyCondition(OwnedTable table) =>
        string.Join(" AND ", Writable(table).Where(c => table.MatchKey.Contains(c.Name)).Select(c => $"{Q(c.Name)} = {OwnedParameter(c.Ordinal)}"));

    private static IEnumerable<(string Name, int Ordinal)> Writable(OwnedTable table) => table.Writable.Select((c, i) => (c.Name, i));

    private static string Quote(TableColumn column, TableLayout layout) => SqliteIdentifier.Quote(column.Name, "column", layout.EntityName);

    private static string Q(string trustedName) => SqliteIdentifier.Quote(trustedName, "column");
}
