using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Engine.Reconciliation;

public sealed partial class Reconciler
{
    /// <summary>Rows per repair commit, like a source page.</summary>
    private const int RepairPageSize = 5_000;

    private const int MaxCommitAttempts = 10;

    /// <summary>
    /// Re-fetches the confirmed rows and commits them through the normal commit path (guarded upsert, DeleteLog):
    /// missing, stale and column-different rows are upserted from the source's current version; extra rows that are
    /// still not in the source are deleted. A target row with a version ahead of the source's cannot be overwritten
    /// (the upsert never regresses a version), so it is deleted and then inserted again from the source.
    /// Returns how many differences were fixed.
    /// </summary>
    private async Task<long> RepairAsync(TableLayout layout, IReadOnlyList<ReconciliationFinding> findings, CancellationToken cancellationToken)
    {
        long repaired = 0;
        foreach (var batch in findings.Chunk(RepairPageSize))
        {
            var fresh = AsStored(await _source.FetchByIdsAsync(layout, batch.Select(f => f.RecordId).ToList(), cancellationToken).ConfigureAwait(false));
            var inSource = new Dictionary<Guid, object?[]>(fresh.Count);
            for (var i = 0; i < fresh.Count; i++)
            {
                inSource[fresh.GetId(i)] = fresh[i];
            }

            var deletes = new List<Guid>();
            var upserts = new RowBatch(layout, batch.Length);
            foreach (var finding in batch)
            {
                var row = inSource.GetValueOrDefault(finding.RecordId);
                if (finding.Kind == FindingKind.Extra)
                {
                    if (row is null)
                    {
                        deletes.Add(finding.RecordId);
                    }

                    // Back in the source meanwhile: the worker's next delta carries it.
                    continue;
                }

                if (row is null)
                {
                    continue; // Deleted in the source meanwhile: the worker's next delta deletes it.
                }

                if (finding.TargetVersion is { } target && row[layout.VersionOrdinal] is long source && target > source)
                {
                    deletes.Add(finding.RecordId);
                }

                upserts.Add(row);
            }

            if (deletes.Count > 0)
            {
                await CommitRepairAsync(layout, new RowBatch(layout), deletes, cancellationToken).ConfigureAwait(false);
            }

            if (upserts.Count > 0)
            {
                await CommitRepairAsync(layout, upserts, [], cancellationToken).ConfigureAwait(false);
            }

            repaired += upserts.Count + deletes.Count(id => !upserts.Rows.Any(r => (Guid)r[layout.IdOrdinal]! == id));
        }

        return repaired;
    }

    /// <summary>
    /// One commit whose state row is the stored one, unchanged but for UpdatedUtc: the cursor compare-and-set then only
    /// proves no worker committed between our read of the state and our write. If one did, reload and retry.
    /// </summary>
    private async Task CommitRepairAsync(TableLayout layout, RowBatch upserts, IReadOnlyList<Guid> deletes, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var state = await _target.LoadStateAsync(layout.EntityName, cancellationToken).ConfigureAwait(false)
                ?? throw new ReconciliationException($"Entity '{layout.EntityName}' lost its state row during the repair.");
            try
            {
                await _target.CommitPageAsync(
                    new PageCommit
                    {
                        Layout = layout,
                        Upserts = upserts,
                        Deletes = deletes,
                        Mode = WriteMode.Upsert,
                        ExpectedCursor = state.Cursor,
                        ExpectedShadowCursor = state.ShadowCursor,
                        State = state with { UpdatedUtc = UtcNow },
                    },
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (CursorConflictException) when (attempt < MaxCommitAttempts)
            {
                Log.RepairRetry(_log, layout.EntityName);
            }
        }
    }
}
