using System.Threading.Channels;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Engine;

/// <summary>
/// Parallel seeds of large tables (DESIGN.md). A keys-only change-tracking read takes the delta token; its keys arrive
/// in id order, and every time about <see cref="RangeRows"/> of them have come in, the ids read so far close a key range
/// of that many rows, which the lanes start reading at once with ordinary filtered queries (sharing the client's
/// concurrency gate, which follows 429s and <c>x-ms-dop-hint</c>), each page committed as it arrives. The rest of the
/// key space, known when the keys read ends, is cut into one range per lane so the seed does not end on one long range.
/// Finally the entity streams from the token, so changes made during the seed arrive then.
/// <para>
/// Ranges may start before the token read ends because a delta link returns "changes that have occurred since the
/// initial request" (Microsoft Learn, change tracking with the Web API): every range read starts after that request
/// was answered, so nothing changed after a range read a row is missed. Overlaps (a range read again after a restart, a
/// row changed after the token) are harmless: the versionnumber guard. Ranges tile the whole key space whatever order
/// the keys come in; an order other than by id only makes them less even.
/// </para>
/// </summary>
internal sealed partial class EntitySyncAgent
{
    /// <summary>Key ranges read at once for a parallel seed; 1 or less reads sequentially.</summary>
    public int SeedPartitions { get; set; } = 1;

    /// <summary>Tables with at least this many rows (by the source's estimate) are seeded in parallel.</summary>
    public long ParallelSeedMinRows { get; set; } = 100_000;

    /// <summary>Rows per range cut while the keys read goes on: two ranges per lane for the estimated table.</summary>
    private long RangeRows => Math.Max(MinRangeRows, (_state.SeedRowsEstimated ?? 0) / (2L * SeedPartitions));

    /// <summary>Below this a range costs more in its extra last page than its parallel read saves.</summary>
    private const int MinRangeRows = 1_000;

    /// <summary>The in-flight memory all seed lanes of the process share (the supervisor hands every agent the same one).</summary>
    public SeedMemoryBudget SeedMemory { get; set; } = new(SyncOptions.DefaultSeedMemoryBudgetMegabytes * 1024L * 1024);

    /// <summary>
    /// Before any page of this seed has been measured, a page is assumed to cost this much per cell: about 30 bytes of
    /// JSON (the attribute's name, quotes, value or null) and a typed slot; 5,000 rows (Dataverse's largest page).
    /// </summary>
    private const int AssumedBytesPerCell = 40;

    private const int AssumedPageRows = 5_000;

    /// <summary>The most a page of this entity has cost so far (body + decoded rows), 0 until one has been read.</summary>
    private long _seedPageBytes;

    private long SeedPageEstimate(TableLayout layout)
    {
        var measured = Interlocked.Read(ref _seedPageBytes);
        return measured > 0 ? measured : (long)layout.Columns.Count * AssumedPageRows * AssumedBytesPerCell;
    }

    private void MeasuredSeedPage(long bytes)
    {
        var seen = Interlocked.Read(ref _seedPageBytes);
        while (bytes > seen)
        {
            var before = Interlocked.CompareExchange(ref _seedPageBytes, bytes, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    private bool ShouldPartition(long? estimate) =>
        _queries is not null && SeedPartitions > 1 && estimate is { } rows && rows >= ParallelSeedMinRows;

    private async Task<CycleResult> PartitionedSeedAsync(CancellationToken cancellationToken)
    {
        var queries = _queries!;
        var progress = _state.ParallelSeed ?? ParallelSeedProgress.NotStarted;
        if (progress.Ranges.Count > 0 || progress.KeysNext is not null)
        {
            Log.SeedResumed(_log, EntityName, _state.SeedRowsCopied);
        }
        else
        {
            Log.ParallelSeedStarted(_log, EntityName, SeedPartitions, RangeRows);
        }

        var ranges = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
        for (var i = 0; i < progress.Ranges.Count; i++)
        {
            if (!progress.Ranges[i].Done)
            {
                ranges.Writer.TryWrite(i);
            }
        }

        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var commitTurn = new SemaphoreSlim(1, 1);
        Task<CycleResult> planner;
        if (progress.Planned)
        {
            ranges.Writer.Complete();
            planner = Task.FromResult(default(CycleResult));
        }
        else
        {
            planner = PlanRangesAsync(queries, progress, ranges.Writer, commitTurn, failFast);
        }

        List<Task<CycleResult>> lanes = [planner, .. Enumerable.Range(0, SeedPartitions).Select(_ => ReadRangesAsync(queries, ranges.Reader, commitTurn, failFast))];
        var result = new CycleResult(true, 0, 0, 0);
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
            if (failure is CursorRejectedException rejected && planner.IsFaulted)
            {
                return await RestartPartitionedSeedAsync("keys read: " + rejected.Message, cancellationToken).ConfigureAwait(false);
            }

            if (failure is not null)
            {
                throw failure;
            }

            throw;
        }

        // Every range is in: stream from the token the keys read ended with.
        await CommitAsync(new ChangePage(new RowBatch(_layout!, 0), [], SyncCursor.Delta(_state.ParallelSeed!.Token!)), ReadLane.Seed).ConfigureAwait(false);
        return result + new CycleResult(true, 1, 0, 0);
    }

    /// <summary>
    /// The keys read's saved link was refused: ranges already read may predate a token taken now, so the seed starts
    /// over, and so does the table (a row copied before and deleted since would otherwise stay).
    /// </summary>
    private async Task<CycleResult> RestartPartitionedSeedAsync(string reason, CancellationToken cancellationToken)
    {
        Log.SeedRestarted(_log, EntityName, reason);
        await CommitRangesAsync(new RowBatch(_layout!, 0), ParallelSeedProgress.NotStarted, History("SeedRestarted", reason)).ConfigureAwait(false);
        return await PartitionedSeedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commits rows of a range (or none) together with the parallel seed's progress.</summary>
    private Task CommitRangesAsync(RowBatch rows, ParallelSeedProgress progress, SyncHistoryEntry? startOver = null)
    {
        var now = UtcNow;
        var page = new ChangePage(rows, [], SyncCursor.Next(""));
        var next = AfterLivePage(page, ReadLane.Seed, now) with { Cursor = null, ParallelSeed = progress };
        return CommitAsync(page, ReadLane.Seed, next, startOver);
    }

    /// <summary>
    /// The keys-only change-tracking read: plans a range each time about <see cref="RangeRows"/> keys have arrived,
    /// hands it to the lanes, and on the last page plans the rest and records the delta link.
    /// </summary>
    private async Task<CycleResult> PlanRangesAsync(
        IRowQuerySource queries, ParallelSeedProgress from, ChannelWriter<int> ranges, SemaphoreSlim commitTurn, CancellationTokenSource failFast)
    {
        var continuation = from.KeysNext;
        var frontier = from.Frontier;
        var rangeRows = RangeRows;
        var pending = new List<Guid>((int)Math.Min(rangeRows + 5_000, 1_000_000));
        long keys = 0;
        try
        {
            while (true)
            {
                var page = await queries.ReadKeysPageAsync(_layout!, IdRange.All, continuation, trackChanges: true, failFast.Token).ConfigureAwait(false);
                keys += page.Keys.Count;
                foreach (var key in page.Keys)
                {
                    // An id below the frontier lies in a range planned already (only when keys do not come in id order).
                    if (frontier is not { } lowest || IdRange.Compare(key.Id, lowest) >= 0)
                    {
                        pending.Add(key.Id);
                    }
                }

                switch (page.Next)
                {
                    case { IsDelta: true } delta:
                        var rest = Partition(pending, SeedPartitions, frontier);
                        var total = await PlanAsync(rest, null, null, delta.Url, commitTurn, ranges, failFast.Token).ConfigureAwait(false);
                        ranges.Complete();
                        Log.ParallelSeedPlanned(_log, EntityName, keys, total);
                        return default;
                    case { } more:
                        continuation = more.Url;
                        if (pending.Count >= rangeRows)
                        {
                            pending.Sort(IdRange.Compare);
                            var boundary = pending[^1];
                            await PlanAsync([new IdRange(frontier, boundary)], continuation, boundary, null, commitTurn, ranges, failFast.Token).ConfigureAwait(false);
                            frontier = boundary;
                            pending.Clear();
                            pending.Add(boundary);
                        }

                        break;
                    default:
                        throw new InvalidOperationException($"The change-tracking read of '{EntityName}' ended without a delta link.");
                }
            }
        }
        catch (Exception ex)
        {
            ranges.TryComplete(ex);
            if (ex is not OperationCanceledException)
            {
                await failFast.CancelAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Commits newly planned ranges (and where the keys read stands) and hands them to the lanes; returns how many ranges there are now.</summary>
    private async Task<int> PlanAsync(
        IReadOnlyList<IdRange> planned, string? keysNext, Guid? frontier, string? token, SemaphoreSlim commitTurn, ChannelWriter<int> ranges, CancellationToken cancellationToken)
    {
        int first;
        await commitTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var progress = _state.ParallelSeed ?? ParallelSeedProgress.NotStarted;
            first = progress.Ranges.Count;
            await CommitRangesAsync(new RowBatch(_layout!, 0), progress.Plan(planned, keysNext, frontier, token)).ConfigureAwait(false);
        }
        finally
        {
            commitTurn.Release();
        }

        for (var i = 0; i < planned.Count; i++)
        {
            ranges.TryWrite(first + i);
        }

        return first + planned.Count;
    }

    /// <summary>One lane: reads planned ranges one after another until the planner has handed out the last.</summary>
    private async Task<CycleResult> ReadRangesAsync(IRowQuerySource queries, ChannelReader<int> ranges, SemaphoreSlim commitTurn, CancellationTokenSource failFast)
    {
        var result = default(CycleResult);
        await foreach (var index in ranges.ReadAllAsync(failFast.Token).ConfigureAwait(false))
        {
            result += await ReadRangeAsync(queries, index, commitTurn, failFast).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Reads one key range page by page; commits take turns because each one compare-and-sets the whole progress. Each
    /// page first reserves its cost in <see cref="SeedMemory"/>: the body's share goes back once the page is decoded,
    /// the rows' once they are committed.
    /// </summary>
    private async Task<CycleResult> ReadRangeAsync(IRowQuerySource queries, int index, SemaphoreSlim commitTurn, CancellationTokenSource failFast)
    {
        var layout = _layout!;
        var partition = _state.ParallelSeed!.Ranges[index];
        var next = partition.Next;
        var result = default(CycleResult);
        try
        {
            while (true)
            {
                using var memory = await SeedMemory.ReserveAsync(SeedPageEstimate(layout), failFast.Token).ConfigureAwait(false);
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

                var rowBytes = page.Rows.BytesHeld;
                MeasuredSeedPage(page.ResponseBytes + rowBytes);
                memory.ShrinkTo(rowBytes); // decoded: the body is gone

                await commitTurn.WaitAsync(failFast.Token).ConfigureAwait(false);
                try
                {
                    var progress = _state.ParallelSeed!.With(index, partition with { Next = page.NextLink, Done = page.NextLink is null });
                    await CommitRangesAsync(page.Rows, progress).ConfigureAwait(false);
                }
                finally
                {
                    commitTurn.Release();
                }

                result += new CycleResult(true, 1, page.Rows.Count, 0);
                page.Rows.Dispose(); // committed: its column buffers serve the next page (and the reservation goes back)
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

    /// <summary>
    /// Ranges of equal row counts over <paramref name="ids"/> (sorted here, in the order Dataverse compares ids), the
    /// first starting at <paramref name="from"/> and the last open-ended, so together they cover the rest of the key space.
    /// </summary>
    internal static IReadOnlyList<IdRange> Partition(List<Guid> ids, int partitions, Guid? from = null)
    {
        ids.Sort(IdRange.Compare);
        var count = Math.Max(1, Math.Min(partitions, ids.Count / MinRangeRows));
        var boundaries = Enumerable.Range(1, count - 1).Select(i => ids[(int)((long)ids.Count * i / count)]).Distinct().ToList();
        var ranges = IdRange.Between(boundaries).ToArray();
        ranges[0] = ranges[0] with { From = from };
        return ranges;
    }
}
