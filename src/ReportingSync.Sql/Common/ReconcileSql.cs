using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// The set operations of a reconciliation, written once for the three dialects. The stage holds source keys
/// <c>("Id", "Version")</c>, possibly with an id twice (overlapping pages while the source changes), so the Missing and
/// Stale arms read it grouped. Every name is validated and quoted by the dialect; no value is ever part of the text.
/// </summary>
internal sealed class ReconcileSql(SqlDialect dialect, string qualifiedTable, TableLayout layout)
{
    private string stage => dialect.KeyStage;

    private string bigint => dialect.BigIntCast;

    private string Q(string name) => dialect.Quote(name);

    /// <summary>Not soft-deleted, for a table alias (or none).</summary>
    private string NotDeleted(string? alias) => dialect.IsFalse((alias is null ? "" : alias + ".") + Q(SyncColumns.IsDeleted));

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

    /// <summary>The first <c>@limit</c> differences by id.</summary>
    public string Suspects() =>
        dialect.SelectFirst($"d.{Q("Id")}, d.{Q("Kind")}, d.{Q("SourceVersion")}, d.{Q("TargetVersion")} FROM (\n{Differences()}\n) AS d ORDER BY d.{Q("Id")}", "@limit");

    /// <summary>The layout's columns of the rows whose id is in <paramref name="ids"/>.</summary>
    public string RowsById(IdList ids)
    {
        var sql = new StringBuilder("SELECT ");
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(Q(layout.Columns[i].Name));
        }

        sql.Append(" FROM ").Append(qualifiedTable).Append(" WHERE ").Append(Q(SyncColumns.Id)).Append(' ').Append(ids.In);
        if (layout.Options.SoftDeletes)
        {
            sql.Append(" AND ").Append(NotDeleted(null));
        }

        return sql.Append(';').ToString();
    }
}
