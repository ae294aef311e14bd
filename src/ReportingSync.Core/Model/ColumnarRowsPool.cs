using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ReportingSync.Model;

/// <summary>
/// Reuses <see cref="ColumnarRows"/> page after page, per layout. A page's storage goes back when its batch is disposed
/// after the commit; a batch never disposed is simply collected. A few are kept per layout (a sequential seed has two
/// pages alive, one committing while the next downloads; a parallel seed one or two per lane), the rest left to the GC
/// so an idle worker does not hold the memory of its busiest moment.
/// </summary>
internal static class ColumnarRowsPool
{
    /// <summary>Storages kept per layout.</summary>
    internal const int KeptPerLayout = 8;

    private static readonly ConditionalWeakTable<TableLayout, Kept> Pools = [];

    public static ColumnarRows Rent(TableLayout layout, int capacity)
    {
        var kept = Pools.GetValue(layout, static _ => new Kept());
        if (!kept.Rows.TryDequeue(out var rows))
        {
            rows = new ColumnarRows(layout);
        }
        else
        {
            Interlocked.Decrement(ref kept.Count);
        }

        rows.EnsureCapacity(capacity);
        return rows;
    }

    public static void Return(ColumnarRows rows)
    {
        rows.Clear();
        var kept = Pools.GetValue(rows.Layout, static _ => new Kept());
        if (Interlocked.Increment(ref kept.Count) <= KeptPerLayout)
        {
            kept.Rows.Enqueue(rows);
        }
        else
        {
            Interlocked.Decrement(ref kept.Count);
        }
    }

    private sealed class Kept
    {
        public readonly ConcurrentQueue<ColumnarRows> Rows = new();
        public int Count;
    }
}
