using System.Globalization;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// DML text for entity tables, the same for every dialect but for the forms the dialect spells (<see cref="SqlDialect.Upsert"/>,
/// id lists). Names are validated and quoted; values are always parameters or bulk-loaded rows.
/// </summary>
internal sealed class EntitySql(SqlDialect dialect)
{
    /// <summary>The commit time, written to the sync columns.</summary>
    public const string Now = "@now";

    /// <summary>Parameter of layout column <paramref name="ordinal"/> in a single-row statement.</summary>
    public static string ValueParameter(int ordinal) => "@p" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>The layout's columns, quoted, in layout order, optionally prefixed (<c>s.</c>).</summary>
    public IReadOnlyList<string> Columns(TableLayout layout, string? prefix = null) =>
        layout.Columns.Select(c => prefix + dialect.Quote(c.Name, "column", layout.EntityName)).ToList();

    /// <summary>The sync columns a row gets when it is written: created, modified and, with soft deletes, not deleted.</summary>
    public IReadOnlyList<string> SyncColumnNames(TableLayout layout) =>
        layout.Options.SoftDeletes
            ? [Q(SyncColumns.SinkCreatedOn), Q(SyncColumns.SinkModifiedOn), Q(SyncColumns.IsDeleted)]
            : [Q(SyncColumns.SinkCreatedOn), Q(SyncColumns.SinkModifiedOn)];

    private IReadOnlyList<string> SyncValues(TableLayout layout) =>
        layout.Options.SoftDeletes ? [Now, Now, dialect.False] : [Now, Now];

    /// <summary>
    /// The guarded upsert: from <paramref name="stage"/> (a quoted table of the layout's columns) or, when null, one row of
    /// <see cref="ValueParameter"/>s. A stored row is replaced only by a versionnumber at least as new, so an older read
    /// never regresses it and rows the guard skips are not counted. SinkCreatedOn is only set on insert; a row that comes
    /// back (restored in Dataverse) is no longer marked deleted.
    /// </summary>
    public string Upsert(TableLayout layout, string qualified, string? stage) => dialect.Upsert(GuardedUpsert(layout, qualified, stage));

    /// <summary>
    /// A re-seed's rows into the live table, in the swap's transaction (after <see cref="DeleteMissing"/>): a shadow row
    /// the live table lacks is inserted; one that differs from the live row replaces it, unless the live row is newer
    /// (streamed after the shadow read copied it: the delta from the shadow's token brings it again). A row that is the
    /// same is not written at all, so its SinkModifiedOn keeps saying when it last changed.
    /// </summary>
    public string ApplyShadow(TableLayout layout, string qualified, string shadow)
    {
        var spec = GuardedUpsert(layout, qualified, shadow);
        var columns = Columns(layout);
        string Differs(string t, string s)
        {
            var differs = dialect.RowsDiffer([.. columns.Select(c => $"{t}.{c}")], [.. columns.Select(c => $"{s}.{c}")]);

            // A row marked deleted that the re-seed found again was restored at the source.
            return layout.Options.SoftDeletes ? $"({differs} OR NOT ({dialect.IsFalse($"{t}.{Q(SyncColumns.IsDeleted)}")}))" : differs;
        }

        return dialect.Upsert(spec with { When = (t, s) => $"({spec.When!(t, s)}) AND {Differs(t, s)}" });
    }

    /// <summary>Deletes the live rows a re-seed did not find (deleted at the source while the live table missed it).</summary>
    public string DeleteMissing(string qualified, string shadow) =>
        $"{dialect.DeleteFrom(qualified, "t")} WHERE NOT EXISTS (SELECT 1 FROM {shadow} AS s WHERE s.{Q(SyncColumns.Id)} = t.{Q(SyncColumns.Id)});";

    /// <summary>With soft deletes, <see cref="DeleteMissing"/> marks those rows deleted instead (once).</summary>
    public string SoftDeleteMissing(string qualified, string shadow) =>
        $"{dialect.UpdateSet(qualified, "t", $"{Q(SyncColumns.IsDeleted)} = {dialect.True}, {Q(SyncColumns.SinkModifiedOn)} = {Now}")} " +
        $"WHERE {dialect.IsFalse("t." + Q(SyncColumns.IsDeleted))} AND NOT EXISTS (SELECT 1 FROM {shadow} AS s WHERE s.{Q(SyncColumns.Id)} = t.{Q(SyncColumns.Id)});";

    private UpsertSpec GuardedUpsert(TableLayout layout, string qualified, string? stage)
    {
        var columns = Columns(layout);
        var values = stage is null ? layout.Columns.Select((_, i) => ValueParameter(i)).ToList() : Columns(layout, "s.");
        var version = Q(SyncColumns.Version);
        List<(string, string)> set = [(Q(SyncColumns.SinkModifiedOn), Now)];
        if (layout.Options.SoftDeletes)
        {
            set.Add((Q(SyncColumns.IsDeleted), dialect.False));
        }

        return new UpsertSpec
        {
            Table = qualified,
            Columns = [.. columns, .. SyncColumnNames(layout)],
            Values = [.. values, .. SyncValues(layout)],
            From = stage is null ? null : stage + " AS s",
            Key = [Q(SyncColumns.Id)],
            Update = columns.Where(c => c != Q(SyncColumns.Id)).ToList(),
            Set = set,
            When = (t, s) => $"{t}.{version} IS NULL OR {s}.{version} >= {t}.{version}",
        };
    }

    /// <summary>A plain single-row insert of <see cref="ValueParameter"/>s with the sync columns (a seed into an empty table).</summary>
    public string Insert(TableLayout layout, string qualified) =>
        $"INSERT INTO {qualified} ({string.Join(", ", [.. Columns(layout), .. SyncColumnNames(layout)])})\n" +
        $"VALUES ({string.Join(", ", [.. layout.Columns.Select((_, i) => ValueParameter(i)), .. SyncValues(layout)])});";

    public string HardDelete(string qualified, IdList ids) => $"DELETE FROM {qualified} WHERE {Q(SyncColumns.Id)} {ids.In};";

    /// <summary>Only rows not yet marked count as deleted, so replaying a page reports what it changed.</summary>
    public string SoftDelete(string qualified, IdList ids) =>
        $"UPDATE {qualified} SET {Q(SyncColumns.IsDeleted)} = {dialect.True}, {Q(SyncColumns.SinkModifiedOn)} = {Now} " +
        $"WHERE {Q(SyncColumns.Id)} {ids.In} AND {dialect.IsFalse(Q(SyncColumns.IsDeleted))};";

    public string Count(string qualified) => $"SELECT {dialect.CountAll} FROM {qualified};";

    /// <summary>Every row, in the page's transaction; see <see cref="SqlDialect.ClearTable"/>.</summary>
    public string Clear(string qualified) => dialect.ClearTable(qualified);

    /// <summary>Every row in <c>Id</c> order as the text of the guid sorts (the same order in every database).</summary>
    public string SelectRows(string qualified, TableLayout layout) =>
        $"SELECT {string.Join(", ", Columns(layout))} FROM {qualified} ORDER BY {dialect.OrderById(Q(SyncColumns.Id))};";

    private string Q(string trustedName) => dialect.Quote(trustedName);
}
