using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>Dialect-neutral preparation of a page's rows before they reach SQL.</summary>
internal static class PageRows
{
    /// <summary>
    /// One row per Id: the highest versionnumber wins, and among equal versions the later row in the page (it was
    /// read later). A set-based upsert cannot apply two rows to the same key in one statement (PostgreSQL's
    /// ON CONFLICT "cannot affect row a second time", SQL Server's MERGE "same row more than once"), so every dialect
    /// dedupes here, once, the same way. Rows keep their page order otherwise.
    /// </summary>
    public static IReadOnlyList<object?[]> Deduplicate(RowBatch batch, string table)
    {
        if (batch.Columns is { } columns)
        {
            return Deduplicate(batch, columns, table);
        }

        var rows = batch.Rows;
        var layout = batch.Layout;
        var firstIndex = new Dictionary<Guid, int>(rows.Count);
        List<object?[]>? result = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var id = GetId(rows[i], layout, table);
            if (!firstIndex.TryGetValue(id, out var kept))
            {
                firstIndex.Add(id, result?.Count ?? i);
                result?.Add(rows[i]);
                continue;
            }

            // First duplicate: switch from "the page as it is" to a copy we can edit.
            result ??= new List<object?[]>(rows.Take(i));
            if (Version(rows[i], layout) >= Version(result[kept], layout))
            {
                result[kept] = rows[i];
            }
        }

        return result ?? rows;
    }

    [ThreadStatic]
    private static Dictionary<Guid, int>? t_firstIndex;

    /// <summary>The same for a columnar batch, read typed: the rows kept, as a selection of the batch (the fast path).</summary>
    private static SelectedRows Deduplicate(RowBatch batch, ColumnarRows columns, string table)
    {
        var layout = batch.Layout;
        // Reused by the thread (the method does not await): a page's index is past the large-object threshold, and
        // one per page made the seed's gen2 collections.
        var firstIndex = t_firstIndex ??= new Dictionary<Guid, int>(columns.Count);
        firstIndex.Clear();
        List<int>? result = null;
        for (var i = 0; i < columns.Count; i++)
        {
            var id = GetId(columns, i, layout, table);
            if (!firstIndex.TryGetValue(id, out var kept))
            {
                firstIndex.Add(id, result?.Count ?? i);
                result?.Add(i);
                continue;
            }

            result ??= [.. Enumerable.Range(0, i)];
            if (Version(columns, i, layout) >= Version(columns, result[kept], layout))
            {
                result[kept] = i;
            }
        }

        return new SelectedRows(batch, result?.ToArray());
    }

    /// <summary>Distinct ids in first-seen order.</summary>
    public static IReadOnlyList<Guid> DistinctDeletes(IReadOnlyList<Guid> deletes)
    {
        if (deletes.Count < 2)
        {
            return deletes;
        }

        var seen = new HashSet<Guid>(deletes.Count);
        var result = new List<Guid>(deletes.Count);
        foreach (var id in deletes)
        {
            if (seen.Add(id))
            {
                result.Add(id);
            }
        }

        return result;
    }

    public static Guid GetId(object?[] row, TableLayout layout, string table) =>
        row[layout.IdOrdinal] is Guid id
            ? id
            : throw new RowRejectedException(table, SyncColumns.Id, null, "the row has no Id (the primary key), or it is not a Guid.");

    /// <summary>The row's Id when it has one, for error messages.</summary>
    public static Guid? TryGetId(object?[] row, TableLayout layout) => row[layout.IdOrdinal] as Guid?;

    public static Guid GetId(ColumnarRows columns, int row, TableLayout layout, string table) =>
        columns.IsNull(row, layout.IdOrdinal)
            ? throw new RowRejectedException(table, SyncColumns.Id, null, "the row has no Id (the primary key), or it is not a Guid.")
            : columns.GetGuid(row, layout.IdOrdinal);

    /// <summary>The row's Id when it has one, for error messages.</summary>
    public static Guid? TryGetId(ColumnarRows columns, int row, TableLayout layout) =>
        columns.IsNull(row, layout.IdOrdinal) ? null : columns.GetGuid(row, layout.IdOrdinal);

    /// <summary>
    /// The rows' Ids in order (null where a row has none), read typed from a columnar page: indexing a
    /// <see cref="SelectedRows"/> would box a whole row to get one cell.
    /// </summary>
    public static IEnumerable<Guid?> TryGetIds(IReadOnlyList<object?[]> rows, TableLayout layout) => rows is SelectedRows selected
        ? Enumerable.Range(0, selected.Count).Select(i => TryGetId(selected.Columns, selected.RowAt(i), layout))
        : rows.Select(row => TryGetId(row, layout));

    // A missing versionnumber sorts below every real one, the same way the upsert guard treats it.
    private static long Version(object?[] row, TableLayout layout) => row[layout.VersionOrdinal] is long v ? v : long.MinValue;

    private static long Version(ColumnarRows columns, int row, TableLayout layout) =>
        columns.IsNull(row, layout.VersionOrdinal) ? long.MinValue : columns.GetInt64(row, layout.VersionOrdinal);
}
