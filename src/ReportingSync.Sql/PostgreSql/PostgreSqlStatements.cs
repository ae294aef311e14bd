using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// DML text for entity tables. Names are validated and quoted; values are always parameters or COPY data.
/// </summary>
internal static class PostgreSqlStatements
{
    public const string NowParameter = "now";
    public const string IdsParameter = "ids";

    public static string Copy(string qualifiedTable, TableLayout layout, bool withSyncColumns)
    {
        var sql = new StringBuilder("COPY ").Append(qualifiedTable).Append(" (");
        AppendColumnList(sql, layout, prefix: null);
        if (withSyncColumns)
        {
            AppendSyncColumnList(sql, layout);
        }

        return sql.Append(") FROM STDIN (FORMAT BINARY)").ToString();
    }

    /// <summary>
    /// One statement moves the (already de-duplicated) stage into the table. The WHERE on DO UPDATE is the staleness
    /// guard: an older versionnumber never overwrites a newer row, and rows it skips are not counted as written.
    /// SinkCreatedOn is only set by the INSERT arm, so it keeps the first time we saw the row.
    /// </summary>
    public static string UpsertFromStage(string qualifiedTable, TableLayout layout)
    {
        var sql = new StringBuilder("INSERT INTO ").Append(qualifiedTable).Append(" AS t (");
        AppendColumnList(sql, layout, prefix: null);
        AppendSyncColumnList(sql, layout);
        sql.Append(")\nSELECT ");
        AppendColumnList(sql, layout, prefix: "s.");
        sql.Append(", @").Append(NowParameter).Append(", @").Append(NowParameter);
        if (layout.Options.SoftDeletes)
        {
            sql.Append(", false");
        }

        sql.Append(" FROM ").Append(Q(PostgreSqlSchemaWriter.StageTable)).Append(" AS s\n");
        sql.Append("ON CONFLICT (").Append(Q(SyncColumns.Id)).Append(") DO UPDATE SET ");
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
            sql.Append(", ").Append(Q(SyncColumns.IsDeleted)).Append(" = false");
        }

        var version = Q(SyncColumns.Version);
        sql.Append("\nWHERE t.").Append(version).Append(" IS NULL OR excluded.").Append(version).Append(" >= t.").Append(version).Append(';');
        return sql.ToString();
    }

    public static string HardDelete(string qualifiedTable) =>
        $"DELETE FROM {qualifiedTable} WHERE {Q(SyncColumns.Id)} = ANY(@{IdsParameter});";

    /// <summary>Only rows not yet marked count as deleted, so replaying a page reports what it changed.</summary>
    public static string SoftDelete(string qualifiedTable) =>
        $"UPDATE {qualifiedTable} SET {Q(SyncColumns.IsDeleted)} = true, {Q(SyncColumns.SinkModifiedOn)} = @{NowParameter} " +
        $"WHERE {Q(SyncColumns.Id)} = ANY(@{IdsParameter}) AND NOT {Q(SyncColumns.IsDeleted)};";

    public static string Count(string qualifiedTable) => $"SELECT count(*) FROM {qualifiedTable};";

    /// <summary>Every row, with DELETE rather than TRUNCATE: the worker's role needs no extra privilege and other readers are not locked out.</summary>
    public static string ClearTable(string qualifiedTable) => $"DELETE FROM {qualifiedTable};";

    public static string SelectRows(string qualifiedTable, TableLayout layout)
    {
        var sql = new StringBuilder("SELECT ");
        AppendColumnList(sql, layout, prefix: null);
        return sql.Append(" FROM ").Append(qualifiedTable).Append(" ORDER BY ").Append(Q(SyncColumns.Id)).Append(';').ToString();
    }

    /// <summary>Parameter of an owned table's column in the metadata statements: <c>@p&lt;ordinal among writable columns&gt;</c>.</summary>
    public static string OwnedParameter(int ordinal) => "p" + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One metadata row in; every writable column a parameter.</summary>
    public static string InsertOwned(string qualified, OwnedTable table) =>
        $"INSERT INTO {qualified} ({string.Join(", ", table.Writable.Select(c => Q(c.Name)))}) " +
        $"VALUES ({string.Join(", ", table.Writable.Select((_, i) => "@" + OwnedParameter(i)))});";

    /// <summary>One metadata row's values replaced, found by its match key (a renamed label is updated, not added).</summary>
    public static string UpdateOwned(string qualified, OwnedTable table) =>
        $"UPDATE {qualified} SET {string.Join(", ", Writable(table).Where(c => !table.MatchKey.Contains(c.Name)).Select(c => $"{Q(c.Name)} = @{OwnedParameter(c.Ordinal)}"))} " +
        $"WHERE {KeyCondition(table)};";

    public static string DeleteOwned(string qualified, OwnedTable table) => $"DELETE FROM {qualified} WHERE {KeyCondition(table)};";

    /// <summary>The rows a metadata sync owns: those whose scope column holds one of <c>@scope</c>.</summary>
    public static string SelectOwnedScope(string qualified, OwnedTable table) =>
        $"SELECT {string.Join(", ", table.Writable.Select(c => Q(c.Name)))} FROM {qualified} WHERE {Q(table.ScopeColumn!)} = ANY(@scope);";

    private static string KeyCondition(OwnedTable table) =>
        string.Join(" AND ", Writable(table).Where(c => table.MatchKey.Contains(c.Name)).Select(c => $"{Q(c.Name)} = @{OwnedParameter(c.Ordinal)}"));

    private static IEnumerable<(string Name, int Ordinal)> Writable(OwnedTable table) => table.Writable.Select((c, i) => (c.Name, i));

    private static void AppendColumnList(StringBuilder sql, TableLayout layout, string? prefix)
    {
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(prefix).Append(Quote(layout.Columns[i], layout));
        }
    }

    private static void AppendSyncColumnList(StringBuilder sql, TableLayout layout)
    {
        sql.Append(", ").Append(Q(SyncColumns.SinkCreatedOn)).Append(", ").Append(Q(SyncColumns.SinkModifiedOn));
        if (layout.Options.SoftDeletes)
        {
            sql.Append(", ").Append(Q(SyncColumns.IsDeleted));
        }
    }

    private static string Quote(TableColumn column, TableLayout layout) => PostgreSqlIdentifier.Quote(column.Name, "column", layout.EntityName);

    private static string Q(string trustedName) => PostgreSqlIdentifier.Quote(trustedName, "column");
}
