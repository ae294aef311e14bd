using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Engine;

/// <summary>
/// Lets a restore from the recycle bin win over the delete before it, within one delta read (from a delta link through
/// its next links to the next delta link). Dataverse restores a record with its old id, and a delta read lists new and
/// updated items first and deleted items last (Microsoft documents the order): a record deleted and restored between
/// two reads comes back as both, the delete after the upsert, possibly on a later page. The row exists, so the delete
/// must not reach the target (which applies a page's upserts, then its deletes).
/// </summary>
/// <remarks>
/// A read resumed from a saved next link (a restart mid-read) has lost the upserts of its earlier pages; then each
/// delete not answered by this read's own upserts is checked by id against the source, and a row that exists is
/// upserted instead (it is the restored row, at its current version).
/// </remarks>
internal sealed class RestoredRows(TableLayout layout, IRowQuerySource? queries, bool resumedMidRead)
{
    private readonly HashSet<Guid> _upserted = [];

    /// <summary>Rows that were deleted and then restored and so were kept (upserted) instead of deleted.</summary>
    public int Kept { get; private set; }

    /// <summary>The page with every delete dropped that an upsert of this read supersedes (the page's own included).</summary>
    public async Task<ChangePage> ApplyAsync(ChangePage page, CancellationToken cancellationToken)
    {
        for (var i = 0; i < page.Upserts.Count; i++)
        {
            _upserted.Add(page.Upserts.GetId(i));
        }

        if (page.Deletes.Count == 0)
        {
            return page;
        }

        var deletes = page.Deletes.Where(id => !_upserted.Contains(id)).ToList();
        var superseded = page.Deletes.Count - deletes.Count;
        if (resumedMidRead && queries is not null && deletes.Count > 0)
        {
            var existing = await queries.FetchByIdsAsync(layout, deletes.Distinct().ToList(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < existing.Count; i++)
            {
                var id = existing.GetId(i);
                page.Upserts.Add(existing[i]);
                _upserted.Add(id);
            }

            deletes.RemoveAll(_upserted.Contains);
            superseded += existing.Count;
        }

        if (superseded == 0)
        {
            return page;
        }

        Kept += superseded;
        return page with { Deletes = deletes };
    }
}
