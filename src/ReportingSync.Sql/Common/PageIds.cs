using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// A page's ids, staged once (<see cref="SqlDialect.StageIdsAsync"/>) for everything its transaction does with them:
/// <see cref="Deletes"/> for the live table's deletes and the DeleteLog, and, when the page records history,
/// <see cref="Touched"/>, every id it wrote or deleted. Staging is a temp table and a bulk copy on SQL Server, so the
/// history shares the list the deletes use rather than staging the deletes a second time.
/// </summary>
internal sealed record PageIds(IdList? Deletes, IdList? Touched)
{
    private static readonly PageIds None = new(null, null);

    /// <param name="deletes">The page's distinct deletes, in page order.</param>
    /// <param name="history">Whether the page records history (<see cref="Touched"/> is staged only then).</param>
    public static async Task<PageIds> StageAsync(
        SqlDialect dialect, SqlSession session, TableLayout layout, IReadOnlyList<object?[]> rows, IReadOnlyList<Guid> deletes, bool history, CancellationToken ct)
    {
        if (!history)
        {
            return deletes.Count == 0 ? None : new PageIds(await dialect.StageIdsAsync(session, deletes, ct).ConfigureAwait(false), null);
        }

        // Deletes first, in page order (the DeleteLog keeps it), so they are the list's head; then the written ids not
        // among them.
        var touched = deletes.Concat(PageRows.TryGetIds(rows, layout).Select(id => id!.Value)).Distinct().ToList();
        if (touched.Count == 0)
        {
            return None;
        }

        var staged = await dialect.StageIdsAsync(session, touched, ct).ConfigureAwait(false);
        var head = deletes.Count == 0 ? null : deletes.Count == touched.Count ? staged : dialect.Head(staged, deletes.Count);
        return new PageIds(head, staged);
    }
}
