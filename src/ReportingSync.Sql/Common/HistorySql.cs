using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// The history table (<see cref="TableLayout.HistoryTableName"/>): every column of the entity table, then
/// <c>ValidFromUtc</c>, <c>ValidToUtc</c> and <c>IsDeleted</c>, keyed by (<c>Id</c>, <c>versionnumber</c>). Versions are
/// recorded set-based from the live table after a page's rows are written, in the page's transaction, so a version
/// exists exactly when the live table held it: a page read twice adds nothing (the key), a version older than the
/// stored row never reaches the live table and so never the history, and a kill rolls both back together.
/// The chain is closed by <c>versionnumber</c> (each version ends where the next begins), which keeps it free of gaps
/// and overlaps whatever order versions arrive in.
/// </summary>
internal sealed class HistorySql(SqlDialect dialect)
{
    public const string ValidFrom = "ValidFromUtc";
    public const string ValidTo = "ValidToUtc";
    public const string IsDeleted = "IsDeleted";

    /// <summary>Closed versions pruned per statement: small enough never to hold a long lock.</summary>
    public const int PruneBatch = 1_000;

    /// <summary>The history table: the layout's columns, the validity period and the delete flag.</summary>
    public string CreateTable(TableLayout layout)
    {
        var entity = layout.EntityName;
        var body = new StringBuilder();
        foreach (var column in layout.Columns)
        {
            var key = column.Name is SyncColumns.Id or SyncColumns.Version;
            Append(body, dialect.Quote(column.Name, "column", entity), dialect.TypeName(column, layout.Options.Compatibility), key ? "NOT NULL" : "NULL");
        }

        var time = dialect.TypeName(ColumnStorageType.DateTime, null, null, layout.Options.Compatibility);
        Append(body, Q(ValidFrom), time, "NOT NULL");
        Append(body, Q(ValidTo), time, "NULL");
        Append(body, Q(IsDeleted), dialect.TypeName(ColumnStorageType.Boolean, null, null), $"NOT NULL DEFAULT {dialect.False}");
        body.Append("    ").Append(dialect.PrimaryKey(layout.HistoryTableName, [Q(SyncColumns.Id), Q(SyncColumns.Version)], entity)).Append('\n');
        return dialect.CreateTableIfMissing(Table(layout), body.ToString());
    }

    /// <summary>
    /// One version per listed id as the live table (or a re-seed's shadow, <paramref name="from"/>) now holds it, unless
    /// the history has it already. <c>ValidFromUtc</c> is the source's <c>modifiedon</c> of that version (the commit time
    /// when the table does not replicate it), or the start of the version before it if that is later. With soft deletes a row marked deleted is not a version.
    /// </summary>
    public string RecordVersions(TableLayout layout, string from, IdList? ids)
    {
        var columns = Columns(layout, null);
        var source = Columns(layout, "t.");
        var modified = layout.Columns.Any(c => c.Name == ModifiedOn) ? $"COALESCE(t.{Q(ModifiedOn)}, {EntitySql.Now})" : EntitySql.Now;

        // Never before the start of the version it follows: modifiedon has whole seconds, and a delete is dated when the
        // worker saw it, so a restore in the same second would otherwise begin before the delete it ends.
        var previous = $"(SELECT MAX(p.{Q(ValidFrom)}) FROM {Table(layout)} AS p WHERE p.{Q(SyncColumns.Id)} = t.{Q(SyncColumns.Id)} AND p.{Q(SyncColumns.Version)} < t.{Q(SyncColumns.Version)})";
        var validFrom = $"CASE WHEN {previous} > {modified} THEN {previous} ELSE {modified} END";
        var where = new List<string>
        {
            $"t.{Q(SyncColumns.Version)} IS NOT NULL",
            $"NOT EXISTS (SELECT 1 FROM {Table(layout)} AS h WHERE h.{Q(SyncColumns.Id)} = t.{Q(SyncColumns.Id)} AND h.{Q(SyncColumns.Version)} = t.{Q(SyncColumns.Version)})",
        };
        if (ids is not null)
        {
            where.Insert(0, $"t.{Q(SyncColumns.Id)} {ids.In}");
        }

        if (layout.Options.SoftDeletes && from == dialect.Table(layout.TableName, layout.EntityName))
        {
            where.Add(dialect.IsFalse("t." + Q(SyncColumns.IsDeleted)));
        }

        return $"INSERT INTO {Table(layout)} ({string.Join(", ", columns)}, {Q(ValidFrom)}, {Q(ValidTo)}, {Q(IsDeleted)})\n" +
               $"SELECT {string.Join(", ", source)}, {validFrom}, NULL, {dialect.False} FROM {from} AS t\n" +
               $"WHERE {string.Join("\n  AND ", where)};";
    }

    /// <summary>
    /// A delete version for each listed id (every id when null) whose latest version is not a delete and that
    /// <paramref name="from"/> no longer holds (live): the last known values, flagged, valid from when the worker saw
    /// the delete (never before the version it ends). Its <c>versionnumber</c> is one past the last one's: a delete has
    /// none of its own in a delta, and Dataverse spends at least one on the delete, so a later restore's is higher.
    /// </summary>
    public string RecordDeletes(TableLayout layout, string from, IdList? ids)
    {
        var columns = Columns(layout, null);
        var values = layout.Columns.Select(c => c.Name == SyncColumns.Version
            ? $"h.{Q(SyncColumns.Version)} + 1"
            : "h." + dialect.Quote(c.Name, "column", layout.EntityName));
        var validFrom = $"CASE WHEN h.{Q(ValidFrom)} > {EntitySql.Now} THEN h.{Q(ValidFrom)} ELSE {EntitySql.Now} END";
        var alive = $"t.{Q(SyncColumns.Id)} = h.{Q(SyncColumns.Id)}" +
                    (layout.Options.SoftDeletes && from == dialect.Table(layout.TableName, layout.EntityName) ? " AND " + dialect.IsFalse("t." + Q(SyncColumns.IsDeleted)) : "");
        var where = new List<string>
        {
            $"h.{Q(SyncColumns.Version)} = (SELECT MAX(m.{Q(SyncColumns.Version)}) FROM {Table(layout)} AS m WHERE m.{Q(SyncColumns.Id)} = h.{Q(SyncColumns.Id)})",
            dialect.IsFalse($"h.{Q(IsDeleted)}"),
            $"NOT EXISTS (SELECT 1 FROM {from} AS t WHERE {alive})",
        };
        if (ids is not null)
        {
            where.Insert(0, $"h.{Q(SyncColumns.Id)} {ids.In}");
        }

        return $"INSERT INTO {Table(layout)} ({string.Join(", ", columns)}, {Q(ValidFrom)}, {Q(ValidTo)}, {Q(IsDeleted)})\n" +
               $"SELECT {string.Join(", ", values)}, {validFrom}, NULL, {dialect.True} FROM {Table(layout)} AS h\n" +
               $"WHERE {string.Join("\n  AND ", where)};";
    }

    /// <summary>
    /// Each version of the listed ids ends where the next one by <c>versionnumber</c> begins; the last is open. Only
    /// versions whose end is wrong are written. Without a list (a swap, or a history table new beside a full table) the
    /// ids are those <see cref="RecordVersions"/> and <see cref="RecordDeletes"/> just gave a version (<see cref="Reopened"/>),
    /// so a big table's swap looks up the next version for the rows it changed, not for every version the history holds.
    /// </summary>
    public string CloseChain(TableLayout layout, IdList? ids)
    {
        var next = $"(SELECT n.{Q(ValidFrom)} FROM {Table(layout)} AS n WHERE n.{Q(SyncColumns.Id)} = h.{Q(SyncColumns.Id)} AND n.{Q(SyncColumns.Version)} = " +
                   $"(SELECT MIN(m.{Q(SyncColumns.Version)}) FROM {Table(layout)} AS m WHERE m.{Q(SyncColumns.Id)} = h.{Q(SyncColumns.Id)} AND m.{Q(SyncColumns.Version)} > h.{Q(SyncColumns.Version)}))";
        var scope = ids?.In ?? $"IN ({Reopened(layout)})";
        var where = $"WHERE h.{Q(SyncColumns.Id)} {scope} AND {Distinct($"h.{Q(ValidTo)}", next)}";
        return dialect.UpdateSet(Table(layout), "h", $"{Q(ValidTo)} = {next}") + "\n" + where + ";";
    }

    /// <summary>
    /// The ids with more than one open version: exactly the ids a recording step just gave a version, because every step
    /// records its versions open and, before it, each id's chain was closed with one open version (what the page commits
    /// keep and reconciliation's <see cref="Check"/> verifies). A version recorded below the newest still counts: its id
    /// has the newest one open too, and the whole chain of that id is set again.
    /// </summary>
    private string Reopened(TableLayout layout) =>
        $"SELECT o.{Q(SyncColumns.Id)} FROM {Table(layout)} AS o WHERE o.{Q(ValidTo)} IS NULL GROUP BY o.{Q(SyncColumns.Id)} HAVING COUNT(*) > 1";

    /// <summary>
    /// The three steps that bring the history up to <paramref name="from"/> for <paramref name="ids"/> (all when null),
    /// in order: new versions, deletes, the chain. Each takes <c>@now</c> (and the ids' parameters).
    /// </summary>
    public IReadOnlyList<string> Record(TableLayout layout, string from, IdList? ids) => ids is null
        ? [FillOpenVersions(layout, from), RecordVersions(layout, from, null), RecordDeletes(layout, from, null), CloseChain(layout, null)]
        : [RecordVersions(layout, from, ids), RecordDeletes(layout, from, ids), CloseChain(layout, ids)];

    /// <summary>
    /// A re-seed that back-fills a new (or retyped) column reads the same source versions again with values the open
    /// versions lack: those values are filled in (same version, so nothing that is there is changed). Older, closed
    /// versions keep NULL there: nobody read the column then.
    /// </summary>
    public string FillOpenVersions(TableLayout layout, string from)
    {
        var assignments = layout.Columns.Where(c => c.Name is not SyncColumns.Id and not SyncColumns.Version)
            .Select(c => dialect.Quote(c.Name, "column", layout.EntityName))
            .Select(c => $"{c} = COALESCE(h.{c}, t.{c})");
        return dialect.UpdateFrom(Table(layout), "h", string.Join(", ", assignments), from, "t",
            $"t.{Q(SyncColumns.Id)} = h.{Q(SyncColumns.Id)} AND t.{Q(SyncColumns.Version)} = h.{Q(SyncColumns.Version)} AND h.{Q(ValidTo)} IS NULL") + ";";
    }

    /// <summary>Up to <see cref="PruneBatch"/> versions that closed before <c>@cutoff</c>.</summary>
    public string Prune(TableLayout layout)
    {
        var batch = dialect.SelectFirst(
            $"o.{Q(SyncColumns.Id)}, o.{Q(SyncColumns.Version)} FROM {Table(layout)} AS o WHERE o.{Q(ValidTo)} < @cutoff", "@limit").TrimEnd(';');
        return $"{dialect.DeleteFrom(Table(layout), "h")} WHERE EXISTS (SELECT 1 FROM ({batch}) AS p " +
               $"WHERE p.{Q(SyncColumns.Id)} = h.{Q(SyncColumns.Id)} AND p.{Q(SyncColumns.Version)} = h.{Q(SyncColumns.Version)});";
    }

    /// <summary>
    /// Reconciliation's history check, one row: ids without exactly one open version, versions whose end is not the
    /// next version's start, and live rows whose open version differs (another versionnumber, or a delete).
    /// </summary>
    public string Check(TableLayout layout, string live)
    {
        var h = Table(layout);
        var id = Q(SyncColumns.Id);
        var version = Q(SyncColumns.Version);
        var open = $"(SELECT {dialect.CountAll} FROM (SELECT v.{id} FROM {h} AS v GROUP BY v.{id} HAVING SUM(CASE WHEN v.{Q(ValidTo)} IS NULL THEN 1 ELSE 0 END) <> 1) AS x)";
        var broken = $"(SELECT {dialect.CountAll} FROM {h} AS v WHERE {Distinct($"v.{Q(ValidTo)}",
            $"(SELECT n.{Q(ValidFrom)} FROM {h} AS n WHERE n.{id} = v.{id} AND n.{version} = (SELECT MIN(m.{version}) FROM {h} AS m WHERE m.{id} = v.{id} AND m.{version} > v.{version}))")})";
        var current = $"NOT EXISTS (SELECT 1 FROM {h} AS v WHERE v.{id} = t.{id} AND v.{Q(ValidTo)} IS NULL AND v.{version} = t.{version} AND {dialect.IsFalse($"v.{Q(IsDeleted)}")})";
        var alive = layout.Options.SoftDeletes ? dialect.IsFalse("t." + Q(SyncColumns.IsDeleted)) + " AND " : "";
        var differs = $"(SELECT {dialect.CountAll} FROM {live} AS t WHERE {alive}{current})";
        return $"SELECT {open}, {broken}, {differs};";
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> differ, NULL counting as a value (EXCEPT compares so in every dialect).</summary>
    private static string Distinct(string a, string b) => $"EXISTS (SELECT {a} EXCEPT SELECT {b})";

    public string Table(TableLayout layout) => dialect.Table(layout.HistoryTableName, layout.EntityName);

    private const string ModifiedOn = "modifiedon";

    private IReadOnlyList<string> Columns(TableLayout layout, string? prefix) =>
        layout.Columns.Select(c => prefix + dialect.Quote(c.Name, "column", layout.EntityName)).ToList();

    private static void Append(StringBuilder sql, string quotedName, string type, string constraint) =>
        sql.Append("    ").Append(quotedName).Append(' ').Append(type).Append(' ').Append(constraint).Append(",\n");

    private string Q(string trustedName) => dialect.Quote(trustedName);
}
