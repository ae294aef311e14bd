using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// The set operations of a reconciliation, written once for the three dialects (they differ only in quoting, the
/// spelling of "not soft-deleted" and of a typed NULL). The stage holds source keys <c>("Id", "Version")</c>, possibly
/// with an id twice (overlapping pages while the source changes), so the Missing and Stale arms read it grouped.
/// Every name is validated and quoted by the caller; no value is ever part of the text.
/// </summary>
internal sealed class ReconcileSql(Func<string, string> quote, string qualifiedTable, string stage, TableLayout layout, string notDeleted, string bigint)
{
    private string Q(string name) => quote(name);

    /// <summary><paramref name="notDeleted"/> is a format with {0} for the table alias prefix, e.g. <c>NOT {0}"IsDeleted"</c>.</summary>
    private string NotDeleted(string? alias) => string.Format(System.Globalization.CultureInfo.InvariantCulture, notDeleted, alias is null ? "" : alias + ".");

    /// <summary>Live rows of the entity table (soft-deleted rows are not rows the source has).</summary>
    private string Live(string alias) => layout.Options.SoftDeletes ? $" AND {NotDeleted(alias)}" : "";

    private string Keys => $"(SELECT {Q("Id")}, MAX({Q("Version")}) AS {Q("Version")} FROM {stage} GROUP BY {Q("Id")})";

    /// <summary>One row per differing id: Id, Kind, SourceVersion, TargetVersion.</summary>
    public string Differences()
    {
        var id = Q(SyncColumns.Id);
        var version = Q(SyncColumns.Version);
        var live = layout.Options.SoftDeletes ? $" WHERE {NotDeleted("t")}" : "";
        return new StringBuilder()
            .Append("SELECT k.").Append(Q("Id")).Append(" AS ").Append(Q("Id")).Append(", 'Missing' AS ").Append(Q("Kind"))
            .Append(", k.").Append(Q("Version")).Append(" AS ").Append(Q("SourceVersion"))
            .Append(", CAST(NULL AS ").Append(bigint).Append(") AS ").Append(Q("TargetVersion"))
            .Append(" FROM ").Append(Keys).Append(" AS k")
            .Append(" WHERE NOT EXISTS (SELECT 1 FROM ").Append(qualifiedTable).Append(" AS t WHERE t.").Append(id).Append(" = k.").Append(Q("Id")).Append(Live("t")).Append(')')
            .Append("\nUNION ALL\n")
            .Append("SELECT t.").Append(id).Append(", 'Extra', CAST(NULL AS ").Append(bigint).Append("), t.").Append(version)
            .Append(" FROM ").Append(qualifiedTable).Append(" AS t")
            .Append(live.Length > 0 ? live + " AND" : " WHERE")
            .Append(" NOT EXISTS (SELECT 1 FROM ").Append(stage).Append(" AS s WHERE s.").Append(Q("Id")).Append(" = t.").Append(id).Append(')')
            .Append("\nUNION ALL\n")
            .Append("SELECT k.").Append(Q("Id")).Append(", 'Stale', k.").Append(Q("Version")).Append(", t.").Append(version)
            .Append(" FROM ").Append(Keys).Append(" AS k JOIN ").Append(qualifiedTable).Append(" AS t ON t.").Append(id).Append(" = k.").Append(Q("Id")).Append(Live("t"))
            .Append(" WHERE t.").Append(version).Append(" IS NULL OR t.").Append(version).Append(" <> k.").Append(Q("Version"))
            .ToString();
    }

    /// <summary>
    /// Distinct source ids, live target rows, then (<paramref name="withKinds"/>: only when there are more differences
    /// than the suspect list holds) one row per kind with its count.
    /// </summary>
    public string Counts(bool withKinds = true)
    {
        var live = layout.Options.SoftDeletes ? $" WHERE {NotDeleted(null)}" : "";
        var counts = $"SELECT COUNT(DISTINCT {Q("Id")}) FROM {stage};\n" +
                     $"SELECT COUNT(*) FROM {qualifiedTable}{live};";
        return withKinds ? counts + $"\nSELECT d.{Q("Kind")}, COUNT(*) FROM (\n{Differences()}\n) AS d GROUP BY d.{Q("Kind")};" : counts;
    }

    /// <summary>The first differences by id; <paramref name="top"/> is "TOP (@limit) " on SQL Server, <paramref name="limit"/> " LIMIT @limit" elsewhere.</summary>
    public string Suspects(string top, string limit) =>
        $"SELECT {top}d.{Q("Id")}, d.{Q("Kind")}, d.{Q("SourceVersion")}, d.{Q("TargetVersion")} FROM (\n{Differences()}\n) AS d ORDER BY d.{Q("Id")}{limit};";

    /// <summary>The layout's columns of the rows whose id is in the id list (<paramref name="idsPredicate"/>, e.g. "= ANY(@ids)").</summary>
    public string RowsById(string idsPredicate)
    {
        var sql = new StringBuilder("SELECT ");
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(Q(layout.Columns[i].Name));
        }

        sql.Append(" FROM ").Append(qualifiedTable).Append(" WHERE ").Append(Q(SyncColumns.Id)).Append(' ').Append(idsPredicate);
        if (layout.Options.SoftDeletes)
        {
            sql.Append(" AND ").Append(NotDeleted(null));
        }

        return sql.Append(';').ToString();
    }

    /// <summary>Inserts a row of an owned table with identity: writable columns as <c>@p0..</c>; <paramref name="returning"/> fetches the new id.</summary>
    public static string InsertOwned(Func<string, string> quote, string qualified, OwnedTable table, string output, string returning) =>
        $"INSERT INTO {qualified} ({string.Join(", ", table.Writable.Select(c => quote(c.Name)))}){output} " +
        $"VALUES ({string.Join(", ", table.Writable.Select((_, i) => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))}){returning};";

    /// <summary>Replaces a row of an owned table found by its identity <c>@id</c>; writable columns as <c>@p0..</c>.</summary>
    public static string UpdateOwned(Func<string, string> quote, string qualified, OwnedTable table) =>
        $"UPDATE {qualified} SET {string.Join(", ", table.Writable.Select((c, i) => $"{quote(c.Name)} = @p{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))} " +
        $"WHERE {quote("Id")} = @id;";

    /// <summary>All columns of an owned table, newest first, optionally filtered by <paramref name="column"/> = <c>@key</c>.</summary>
    public static string SelectOwned(Func<string, string> quote, string qualified, OwnedTable table, string? column, string top, string limit) =>
        $"SELECT {top}{string.Join(", ", table.Columns.Select(c => quote(c.Name)))} FROM {qualified}" +
        (column is null ? "" : $" WHERE {quote(column)} = @key") + $" ORDER BY {quote("Id")} DESC{limit};";
}
