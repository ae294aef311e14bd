using System.Globalization;
using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// DML text for entity tables and owned tables. Names are validated and bracket-quoted; values are always parameters or
/// bulk-copied rows.
/// </summary>
internal static class SqlServerStatements
{
    public const string NowParameter = "@now";
    public const string EntityParameter = "@entity";

    /// <summary>
    /// One MERGE moves the (already de-duplicated) stage into the table. The AND on WHEN MATCHED is the staleness guard:
    /// an older versionnumber never overwrites a newer row, and rows it skips are not counted. SinkCreatedOn is only set
    /// by the INSERT arm. HOLDLOCK on the target, as the well-known MERGE caveats advise (sqlblog.org/merge: without it
    /// MERGE's match-then-act is open to races); here the state row's compare-and-set already serialises the entity's
    /// writers, so it costs nothing and closes the gap for anyone else writing the table. The target has no triggers,
    /// filtered indexes or foreign keys, which is where MERGE's documented bugs live.
    /// </summary>
    public static string Merge(string qualifiedTable, TableLayout layout)
    {
        var sql = new StringBuilder("MERGE INTO ").Append(qualifiedTable).Append(" WITH (HOLDLOCK) AS t\n");
        sql.Append("USING ").Append(Q(SqlServerSchemaWriter.StageTable)).Append(" AS s ON t.").Append(Q(SyncColumns.Id)).Append(" = s.").Append(Q(SyncColumns.Id)).Append('\n');
        var version = Q(SyncColumns.Version);
        sql.Append("WHEN MATCHED AND (t.").Append(version).Append(" IS NULL OR s.").Append(version).Append(" >= t.").Append(version).Append(") THEN\n    UPDATE SET ");
        foreach (var column in layout.Columns.Where(c => c.Name != SyncColumns.Id))
        {
            var name = Quote(column, layout);
            sql.Append(name).Append(" = s.").Append(name).Append(", ");
        }

        sql.Append(Q(SyncColumns.SinkModifiedOn)).Append(" = ").Append(NowParameter);
        if (layout.Options.SoftDeletes)
        {
            // A row that comes back (restored in Dataverse) is no longer deleted.
            sql.Append(", ").Append(Q(SyncColumns.IsDeleted)).Append(" = 0");
        }

        sql.Append("\nWHEN NOT MATCHED BY TARGET THEN\n    INSERT (");
        AppendColumnList(sql, layout, null);
        AppendSyncColumnList(sql, layout);
        sql.Append(")\n    VALUES (");
        AppendColumnList(sql, layout, "s.");
        sql.Append(", ").Append(NowParameter).Append(", ").Append(NowParameter).Append(layout.Options.SoftDeletes ? ", 0" : "").Append(");");
        return sql.ToString();
    }

    /// <summary>1 when any id of a bulk-loaded page already exists (then the page is merged instead of copied).</summary>
    public static string AnyKeyExists(string qualifiedTable) =>
        $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {qualifiedTable} AS t INNER JOIN {Q(SqlServerSchemaWriter.KeysTable)} AS k ON k.{Q(SyncColumns.Id)} = t.{Q(SyncColumns.Id)}) THEN 1 ELSE 0 END;";

    public static string HardDelete(string qualifiedTable) =>
        $"DELETE t FROM {qualifiedTable} AS t INNER JOIN {Q(SqlServerSchemaWriter.DeletesTable)} AS d ON d.{Q(SyncColumns.Id)} = t.{Q(SyncColumns.Id)};";

    /// <summary>Only rows not yet marked count as deleted, so replaying a page reports what it changed.</summary>
    public static string SoftDelete(string qualifiedTable) =>
        $"UPDATE t SET {Q(SyncColumns.IsDeleted)} = 1, {Q(SyncColumns.SinkModifiedOn)} = {NowParameter} FROM {qualifiedTable} AS t " +
        $"INNER JOIN {Q(SqlServerSchemaWriter.DeletesTable)} AS d ON d.{Q(SyncColumns.Id)} = t.{Q(SyncColumns.Id)} WHERE t.{Q(SyncColumns.IsDeleted)} = 0;";

    /// <summary>
    /// One DeleteLog row per deleted id in page order (identity values follow an INSERT ... SELECT's ORDER BY); RecordId is
    /// the guid as lowercase text, as Dataverse writes it.
    /// </summary>
    public static string LogDeletes(string qualifiedDeleteLog) =>
        $"INSERT INTO {qualifiedDeleteLog} ({Q("EntityName")}, {Q("RecordId")}, {Q("SinkDeleteTime")}, {Q("VersionNumber")}) " +
        $"SELECT {EntityParameter}, LOWER(CONVERT(nvarchar(36), d.{Q(SyncColumns.Id)})), {NowParameter}, NULL FROM {Q(SqlServerSchemaWriter.DeletesTable)} AS d ORDER BY d.{Q("Seq")};";

    /// <summary>
    /// Records one rejected row, one entry per record: a newer version replaces an older entry, an older one changes
    /// nothing, and a row whose table already holds a newer version is stale and not recorded.
    /// </summary>
    public static string Quarantine(string qualifiedQuarantine, string qualifiedTable) =>
        $"IF NOT EXISTS (SELECT 1 FROM {qualifiedTable} WHERE {Q(SyncColumns.Id)} = @id AND {Q(SyncColumns.Version)} > @version)\n" +
        $"MERGE {qualifiedQuarantine} WITH (HOLDLOCK) AS q\n" +
        $"USING (SELECT {EntityParameter} AS {Q("EntityName")}, @id AS {Q("RecordId")}) AS s ON q.{Q("EntityName")} = s.{Q("EntityName")} AND q.{Q("RecordId")} = s.{Q("RecordId")}\n" +
        $"WHEN MATCHED AND q.{Q("VersionNumber")} <= @version THEN\n    UPDATE SET {Q("VersionNumber")} = @version, {Q("ColumnName")} = @column, {Q("Reason")} = @reason, {Q("AtUtc")} = {NowParameter}\n" +
        $"WHEN NOT MATCHED THEN\n    INSERT ({Q("EntityName")}, {Q("RecordId")}, {Q("VersionNumber")}, {Q("ColumnName")}, {Q("Reason")}, {Q("AtUtc")}) " +
        $"VALUES ({EntityParameter}, @id, @version, @column, @reason, {NowParameter});";

    /// <summary>Removes entries of records the table now holds at the quarantined version or later.</summary>
    public static string ReleaseWritten(string qualifiedQuarantine, string qualifiedTable) =>
        $"DELETE q FROM {qualifiedQuarantine} AS q INNER JOIN {qualifiedTable} AS t ON t.{Q(SyncColumns.Id)} = q.{Q("RecordId")} " +
        $"WHERE q.{Q("EntityName")} = {EntityParameter} AND t.{Q(SyncColumns.Version)} >= q.{Q("VersionNumber")};";

    /// <summary>Removes entries of the page's deleted records.</summary>
    public static string ReleaseDeleted(string qualifiedQuarantine) =>
        $"DELETE q FROM {qualifiedQuarantine} AS q INNER JOIN {Q(SqlServerSchemaWriter.DeletesTable)} AS d ON d.{Q(SyncColumns.Id)} = q.{Q("RecordId")} " +
        $"WHERE q.{Q("EntityName")} = {EntityParameter};";

    public static string Count(string qualifiedTable) => $"SELECT COUNT_BIG(*) FROM {qualifiedTable};";

    /// <summary>Every row, with DELETE rather than TRUNCATE TABLE, which needs ALTER permission the worker's role lacks.</summary>
    public static string ClearTable(string qualifiedTable) => $"DELETE FROM {qualifiedTable};";

    /// <summary>
    /// Rows in Id order as the other dialects give it (the text order of the guid): SQL Server's own uniqueidentifier
    /// order compares the last byte group first, which would make a reader see a different order per database.
    /// </summary>
    public static string SelectRows(string qualifiedTable, TableLayout layout)
    {
        var sql = new StringBuilder("SELECT ");
        AppendColumnList(sql, layout, null);
        return sql.Append(" FROM ").Append(qualifiedTable).Append(" ORDER BY CONVERT(char(36), ").Append(Q(SyncColumns.Id)).Append(");").ToString();
    }

    /// <summary>Parameter of an owned table's column in the metadata statements: <c>@&lt;prefix&gt;p&lt;ordinal&gt;</c>.</summary>
    public static string OwnedParameter(int ordinal, string prefix = "") => "@" + prefix + "p" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>One metadata row in; every writable column a parameter.</summary>
    public static string InsertOwned(string qualified, OwnedTable table, string prefix = "") =>
        $"INSERT INTO {qualified} ({string.Join(", ", table.Writable.Select(c => Q(c.Name)))}) " +
        $"VALUES ({string.Join(", ", table.Writable.Select((_, i) => OwnedParameter(i, prefix)))});";

    /// <summary>One metadata row's values replaced, found by its match key (a renamed label is updated, not added).</summary>
    public static string UpdateOwned(string qualified, OwnedTable table, string prefix = "") =>
        $"UPDATE {qualified} SET {string.Join(", ", Writable(table).Where(c => !table.MatchKey.Contains(c.Name)).Select(c => $"{Q(c.Name)} = {OwnedParameter(c.Ordinal, prefix)}"))} " +
        $"WHERE {KeyCondition(table, prefix)};";

    public static string DeleteOwned(string qualified, OwnedTable table, string prefix = "") => $"DELETE FROM {qualified} WHERE {KeyCondition(table, prefix)};";

    /// <summary>The rows a metadata sync owns: those whose scope column holds one of <c>@s0</c>, <c>@s1</c>, ...</summary>
    public static string SelectOwnedScope(string qualified, OwnedTable table, int scopeValues) =>
        $"SELECT {string.Join(", ", table.Writable.Select(c => Q(c.Name)))} FROM {qualified} WHERE {Q(table.ScopeColumn!)} IN ({string.Join(", ", Enumerable.Range(0, scopeValues).Select(ListParameter))});";

    /// <summary>The parameters of an IN list: <c>@s0</c>, <c>@s1</c>, ...</summary>
    public static string ListParameter(int ordinal) => "@s" + ordinal.ToString(CultureInfo.InvariantCulture);

    private static string KeyCondition(OwnedTable table, string prefix) =>
        string.Join(" AND ", Writable(table).Where(c => table.MatchKey.Contains(c.Name)).Select(c => $"{Q(c.Name)} = {OwnedParameter(c.Ordinal, prefix)}"));

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

    private static string Quote(TableColumn column, TableLayout layout) => SqlServerIdentifier.Quote(column.Name, "column", layout.EntityName);

    private static string Q(string trustedName) => "[" + trustedName.Replace("]", "]]", StringComparison.Ordinal) + "]";
}
