using System.Collections;

namespace ReportingSync.Model;

/// <summary>
/// Some rows of a columnar <see cref="RowBatch"/>, in order, seen as a list of rows: what screening and de-duplication
/// hand the bulk writers on the fast path. Writers that know it read the cells typed (<see cref="Columns"/>,
/// <see cref="RowAt"/>); anything else gets each row as a fresh array of objects, so code written for
/// <c>IReadOnlyList&lt;object?[]&gt;</c> still works (the slow path). Valid while the batch is not disposed.
/// </summary>
internal sealed class SelectedRows : IReadOnlyList<object?[]>
{
    private readonly int[]? _rows;

    /// <param name="rows">Batch row indices in order, or null for every row of the batch.</param>
    public SelectedRows(RowBatch batch, int[]? rows = null)
    {
        Batch = batch;
        _rows = rows;
        Count = rows?.Length ?? batch.Count;
        _ = Columns;
    }

    public RowBatch Batch { get; }

    public ColumnarRows Columns => Batch.Columns ?? throw new InvalidOperationException("The batch no longer holds its rows by column.");

    public int Count { get; }

    /// <summary>The batch row of the <paramref name="index"/>-th selected row.</summary>
    public int RowAt(int index) => _rows?[index] ?? index;

    public object?[] this[int index] => Columns.ToObjects(RowAt(index));

    public IEnumerator<object?[]> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
