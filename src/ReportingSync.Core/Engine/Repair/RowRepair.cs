using Microsoft.Extensions.Logging;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Engine.Repair;

/// <summary>
/// Brings rows of a live table in line with the source through the normal page commit (guarded upsert, DeleteLog,
/// compare-and-set on the state row, fenced by the lease). Used by reconciliation's <c>--repair</c> when it holds the
/// entity's lease, and by the worker that holds it when reconciliation hands the repair over. For each row, with the
/// source and the table read afresh: gone from the source → deleted; missing from the table, held at a version ahead of
/// the source, or hidden as deleted → replaced outright; an older version, or a column that differs at the same
/// version → upserted; equal by now → left alone.
/// </summary>
internal sealed class RowRepair(IRowQuerySource source, IReportingTarget target, ColumnMasker? masker, TimeProvider time, ILogger log)
{
    /// <summary>Rows per repair commit, like a source page.</summary>
    public const int PageSize = 5_000;

    private const int MaxAttempts = 10;

    /// <summary>Repairs <paramref name="rows"/>; returns how many rows it changed.</summary>
    public async Task<long> RepairAsync(TableLayout layout, IReadOnlyList<RepairTarget> rows, LeaseFence? fence, CancellationToken cancellationToken)
    {
        long repaired = 0;
        foreach (var batch in rows.Chunk(PageSize))
        {
            repaired += await RepairPageAsync(layout, batch, fence, cancellationToken).ConfigureAwait(false);
        }

        return repaired;
    }

    private async Task<long> RepairPageAsync(TableLayout layout, IReadOnlyList<RepairTarget> rows, LeaseFence? fence, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        for (var attempt = 1; ; attempt++)
        {
            // The state row first, then the source: a change the worker commits after this read (a delete, say) moves the
            // revision, so this commit's compare-and-set fails and the repair reads again rather than undoing it.
            var state = await target.LoadStateAsync(layout.EntityName, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Entity '{layout.EntityName}' has no state row; nothing to repair.");
            var fresh = await source.FetchByIdsAsync(layout, ids, cancellationToken).ConfigureAwait(false);
            masker?.Apply(fresh);
            var inSource = ById(fresh);
            var inTarget = ById(await target.ReadRowsByIdAsync(layout, ids, cancellationToken).ConfigureAwait(false));
            var upserts = new RowBatch(layout, rows.Count);
            var deletes = new List<Guid>();
            var replace = new List<Guid>();
            foreach (var row in rows)
            {
                var wanted = inSource.GetValueOrDefault(row.Id);
                var held = inTarget.GetValueOrDefault(row.Id);
                if (wanted is null)
                {
                    if (held is not null)
                    {
                        deletes.Add(row.Id);
                    }

                    continue;
                }

                var sourceVersion = wanted[layout.VersionOrdinal] as long?;
                var targetVersion = held?[layout.VersionOrdinal] as long?;
                if (held is null || targetVersion > sourceVersion)
                {
                    replace.Add(row.Id);
                    upserts.Add(wanted);
                }
                else if (targetVersion != sourceVersion || row.Kind == FindingKind.ColumnDiff)
                {
                    upserts.Add(wanted);
                }
            }

            if (upserts.Count == 0 && deletes.Count == 0)
            {
                return 0;
            }

            try
            {
                await target.CommitPageAsync(
                    new PageCommit
                    {
                        Layout = layout,
                        Upserts = upserts,
                        Deletes = deletes,
                        Replace = replace,
                        Mode = WriteMode.Upsert,
                        Change = new StateChange(state, state with { UpdatedUtc = time.GetUtcNow().UtcDateTime }) { Fence = fence },
                    },
                    cancellationToken).ConfigureAwait(false);
                return upserts.Count + deletes.Count;
            }
            catch (CursorConflictException conflict) when (conflict is not LeaseLostException && attempt < MaxAttempts)
            {
                Log.RepairRetry(log, layout.EntityName);
            }
        }
    }

    private static Dictionary<Guid, object?[]> ById(RowBatch rows)
    {
        var result = new Dictionary<Guid, object?[]>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            result[rows.GetId(i)] = rows[i];
        }

        return result;
    }
}
