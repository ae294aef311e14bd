using ReportingSync.Engine.Seeding;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Engine;

/// <summary>
/// Parallel seeds of large tables (DESIGN.md): a keys-only change-tracking read first takes the delta token and learns
/// every id, which gives range boundaries with equal row counts; then the ranges are read concurrently with ordinary
/// filtered queries (sharing the client's concurrency gate, which follows 429s and <c>x-ms-dop-hint</c>), each page
/// committed as it arrives; finally the entity streams from the token, so changes made during the seed arrive then.
/// Overlaps (a range read again after a restart, a row changed after the token) are harmless: the versionnumber guard.
/// </summary>
internal sealed partial class EntitySyncAgent
{
    /// <summary>Key ranges read at once for a parallel seed; 1 or less reads sequentially.</summary>
    public int SeedPartitions { get; set; } = 1;

    /// <summary>Tables with at least this many rows (by the source's estimate) are seeded in parallel.</summary>
    public long ParallelSeedMinRows { get; set; } = 100_000;

    private bool ShouldPartition(long? estimate) =>
        _queries is not null && SeedPartitions > 1 && estimate is { } rows && rows >= ParallelSeedMinRows;

    private async Task<CycleResult> PartitionedSeedAsync(CancellationToken cancellationToken)
    {
        var queries = _queries!;
        PartitionedSeedProgress progress;
        var result = new CycleResult(true, 0, 0, 0);
        if (_state.Cursor is { Kind: CursorKind.Partitioned } stored)
        {
            progress = PartitionedSeedProgress.FromCursor(stored);
            Log.SeedResumed(_log, EntityName, _state.SeedRowsCopied);
        }
        else
        {
            var (token, ids) = await TakeTokenAsync(queries, cancellationToken).ConfigureAwait(false);
            var ranges = Partition(ids, SeedPartitions);
            progress = new PartitionedSeedProgress(token, ranges.Select(r => new PartitionProgress(r.From, r.To, null, false)).ToList());
            Log.ParallelSeedPlanned(_log, EntityName, ids.Count, ranges.Count);

            // Committed before any range is read, so a restart does not pay for the keys read again.
            await CommitAsync(new ChangePage(new RowBatch(_layout!, 0), [], progress.ToCursor()), ReadLane.Seed).ConfigureAwait(false);
        }

        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var commitTurn = new SemaphoreSlim(1, 1);
        var lanes = progress.Partitions
            .Select((partition, index) => partition.Done
                ? Task.FromResult(default(CycleResult))
                : ReadRangeAsync(queries, index, commitTurn, failFast))
            .ToList();
        try
        {
            foreach (var lane in await Task.WhenAll(lanes).ConfigureAwait(false))
            {
                result += lane;
            }
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            // One lane failed; the others were cancelled with it. Report the first real failure, not a cancellation.
            var failure = lanes.Where(l => l.IsFaulted).Select(l => l.Exception!.InnerException!).FirstOrDefault();
            if (failure is not null)
            {
                throw failure;
            }

            throw;
        }

        // Every range is in: stream from the token taken before the ranges were read.
        progress = PartitionedSeedProgress.FromCursor(_state.Cursor!);
        await CommitAsync(new ChangePage(new RowBatch(_layout!, 0), [], SyncCursor.Delta(progress.Token)), ReadLane.Seed).ConfigureAwait(false);
        return result + new CycleResult(true, 1, 0, 0);
    }

    /// <summary>Reads one key range page by page; commits take turns because each one compare-and-sets the whole progress.</summary>
    private async Task<CycleResult> ReadRangeAsync(IRowQuerySource queries, int index, SemaphoreSlim commitTurn, CancellationTokenSource failFast)
    {
        var layout = _layout!;
        var partition = PartitionedSeedProgress.FromCursor(_state.Cursor!).Partitions[index];
        var next = partition.Next;
        var result = default(CycleResult);
        try
        {
            while (true)
            {
                QueryPage page;
                try
                {
                    page = await queries.ReadRangePageAsync(layout, partition.Range, next, failFast.Token).ConfigureAwait(false);
                }
                catch (CursorRejectedException rejected) when (next is not null)
                {
                    // Re-reading the range from its start is safe under the versionnumber guard.
                    Log.SeedRestarted(_log, EntityName, $"range {partition.Range}: {rejected.Message}");
                    next = null;
                    continue;
                }

                await commitTurn.WaitAsync(failFast.Token).ConfigureAwait(false);
                try
                {
                    var progress = PartitionedSeedProgress.FromCursor(_state.Cursor!)
                        .With(index, partition with { Next = page.NextLink, Done = page.NextLink is null });
                    await CommitAsync(new ChangePage(page.Rows, [], progress.ToCursor()), ReadLane.Seed).ConfigureAwait(false);
                }
                finally
                {
                    commitTurn.Release();
                }

                result += new CycleResult(true, 1, page.Rows.Count, 0);
                if (page.NextLink is null)
                {
                    return result;
                }

                next = page.NextLink;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await failFast.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A keys-only change-tracking read: the delta link to stream from afterwards, and every id.</summary>
    private async Task<(string Token, List<Guid> Ids)> TakeTokenAsync(IRowQuerySource queries, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>((int)Math.Min(_state.SeedRowsEstimated ?? 0, 10_000_000));
        string? continuation = null;
        while (true)
        {
            var page = await queries.ReadKeysPageAsync(_layout!, IdRange.All, continuation, trackChanges: true, cancellationToken).ConfigureAwait(false);
            ids.AddRange(page.Keys.Select(k => k.Id));
            switch (page.Next)
            {
                case { IsDelta: true } delta:
                    return (delta.Url, ids);
                case { } more:
                    continuation = more.Url;
                    break;
                default:
                    throw new InvalidOperationException($"The change-tracking read of '{EntityName}' ended without a delta link.");
            }
        }
    }

    /// <summary>Boundaries at equal row counts, in the order Dataverse compares ids.</summary>
    internal static IReadOnlyList<IdRange> Partition(List<Guid> ids, int partitions)
    {
        ids.Sort(IdRange.Compare);
        var count = Math.Max(1, Math.Min(partitions, ids.Count / 1_000));
        var boundaries = Enumerable.Range(1, count - 1).Select(i => ids[(int)((long)ids.Count * i / count)]).Distinct().ToList();
        return IdRange.Between(boundaries);
    }
}
