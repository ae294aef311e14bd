namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// A read of one table: its schema and the created keys as they were when the view was taken. Scanning needs no
/// lock; rows deleted after the view was taken are skipped as they are met.
/// </summary>
internal sealed class TableView(TableData table, TableSchema schema, UInt128[] created, long version)
{
    public TableData Table { get; } = table;

    public TableSchema Schema { get; } = schema;

    /// <summary>The organisation version when the view was taken.</summary>
    public long Version { get; } = version;

    /// <summary>Live rows in SQL Server uniqueidentifier order, within <paramref name="range"/>.</summary>
    public IEnumerable<RowRef> Rows(KeyRange range)
    {
        var keys = Table.BaseKeys;
        var i = range.Lower is { } lo ? Table.LowerBound(lo, range.LowerInclusive) : 0;
        var j = range.Lower is { } lo2 ? CreatedLowerBound(lo2, range.LowerInclusive) : 0;
        while (i < keys.Length || j < created.Length)
        {
            var takeBase = j >= created.Length || (i < keys.Length && keys[i] < created[j]);
            var key = takeBase ? keys[i] : created[j];
            if (range.Upper is { } hi && (range.UpperInclusive ? key > hi : key >= hi))
            {
                yield break;
            }

            var baseIndex = takeBase ? i : -1;
            if (takeBase)
            {
                i++;
            }
            else
            {
                j++;
            }

            if (Table.Overrides.TryGetValue(key, out var state))
            {
                if (!state.Deleted)
                {
                    yield return new RowRef(key, baseIndex, state);
                }
            }
            else if (takeBase)
            {
                yield return new RowRef(key, baseIndex, null);
            }
        }
    }

    private int CreatedLowerBound(UInt128 key, bool inclusive)
    {
        var index = Array.BinarySearch(created, key);
        if (index < 0)
        {
            return ~index;
        }

        return inclusive ? index : index + 1;
    }
}
