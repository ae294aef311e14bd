using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Engine;

/// <summary>
/// Gathers a seed's consecutive pages into one commit where the target asks for it (<see cref="IPageCommitter.SeedCommitRows"/>),
/// and only while the source keeps up, so a commit never waits on it: a page is held for the next one when it came
/// within <see cref="FastSource"/> of the page before, the rows held stay under the target's number and their buffer
/// under <see cref="MaxBytes"/>, and the first of them came less than <see cref="MaxWait"/> ago, so progress still moves
/// at least that often. Pages with deletes are committed alone (a commit applies its rows before its deletes, which
/// would reorder a delete and a later re-create of the same id).
/// </summary>
/// <remarks>
/// Gathered rows are copied into two buffers of its own, used in turn (one gathering while the other commits), not into
/// a page's pooled storage: a pooled storage grown to a commit's size would keep that size for every later page.
/// Single reader; buffers come back from the committing thread.
/// </remarks>
internal sealed class SeedGathering(int rows, TimeProvider time)
{
    /// <summary>Pages that come at least this often mean the commits, not the source, set the pace.</summary>
    public static readonly TimeSpan FastSource = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    /// <summary>Decoded rows held at most (5,000 rows of 60 columns hold about 6 MB; of 317 columns about 30).</summary>
    public const long MaxBytes = 32L * 1024 * 1024;

    private readonly Stack<ColumnarRows> _free = new();
    private long? _previousArrival;
    private long _firstArrival;

    /// <summary>Whether the target gathers at all (otherwise every page commits alone, as it comes).</summary>
    public static SeedGathering? For(IPageCommitter target, bool seeding, TimeProvider time) =>
        seeding && target.SeedCommitRows > 0 ? new SeedGathering(target.SeedCommitRows, time) : null;

    /// <summary>Pages without deletes, both decoded into columns (rows built as objects, from tests, commit alone).</summary>
    public static bool CanGather(ChangePage held, ChangePage next) =>
        held.Deletes.Count == 0 && next.Deletes.Count == 0 && held.Upserts.Columns is not null && next.Upserts.Columns is not null;

    /// <summary>
    /// <paramref name="held"/> and <paramref name="next"/> (read right after it) as one page: the rows of both in one of
    /// the gathering's buffers, next's cursor. The pages' own batches are disposed.
    /// </summary>
    public ChangePage Gather(ChangePage held, ChangePage next)
    {
        if (!CanGather(held, next))
        {
            throw new InvalidOperationException("Only pages without deletes, held in columns, are gathered.");
        }

        var gathered = held;
        if (held.Pages == 1)
        {
            var buffer = Take(held.Upserts.Layout);
            gathered = held with { Upserts = RowBatch.Over(buffer, Release) };
            Append(buffer, held.Upserts);
        }

        Append(gathered.Upserts.Columns!, next.Upserts);
        return gathered with { Next = next.Next, Requests = held.Requests + next.Requests, Pages = held.Pages + next.Pages };
    }

    /// <summary>Called as each page arrives, with what is held including it: true to read the next page before committing.</summary>
    public bool Continues(ChangePage held)
    {
        var now = time.GetTimestamp();
        var sincePrevious = _previousArrival is { } previous ? time.GetElapsedTime(previous, now) : TimeSpan.MaxValue;
        _previousArrival = now;
        if (held.Pages == 1)
        {
            _firstArrival = now;
        }

        return held.Deletes.Count == 0
            && held.Upserts.Count < rows
            && held.Upserts.BytesHeld < MaxBytes
            && sincePrevious <= FastSource
            && time.GetElapsedTime(_firstArrival, now) < MaxWait;
    }

    private static void Append(ColumnarRows buffer, RowBatch page)
    {
        buffer.Append(page.Columns!);
        page.Dispose();
    }

    private ColumnarRows Take(TableLayout layout)
    {
        // A gathering serves one read, so every buffer it keeps has that read's layout.
        lock (_free)
        {
            return _free.TryPop(out var buffer) ? buffer : new ColumnarRows(layout);
        }
    }

    private void Release(ColumnarRows buffer)
    {
        buffer.Clear();
        lock (_free)
        {
            _free.Push(buffer);
        }
    }
}
