namespace ReportingSync.Model;

/// <summary>
/// Rows of one page, in <see cref="TableLayout"/> column order. A row is an <c>object?[]</c> whose values use the CLR
/// types listed on <see cref="ColumnStorageType"/>; null means SQL NULL.
/// </summary>
public sealed class RowBatch
{
    private readonly List<object?[]> _rows;

    public RowBatch(TableLayout layout, int capacity = 0)
    {
        Layout = layout;
        _rows = new List<object?[]>(capacity);
    }

    public TableLayout Layout { get; }

    public int Count => _rows.Count;

    public IReadOnlyList<object?[]> Rows => _rows;

    public object?[] this[int row] => _rows[row];

    /// <summary>Appends an empty row (all nulls) and returns it for the caller to fill.</summary>
    public object?[] AddRow()
    {
        var row = new object?[Layout.Columns.Count];
        _rows.Add(row);
        return row;
    }

    /// <summary>Appends a row built elsewhere; it must have exactly one value per layout column.</summary>
    public void Add(object?[] row)
    {
        if (row.Length != Layout.Columns.Count)
        {
            throw new ArgumentException($"Row has {row.Length} values; table '{Layout.TableName}' has {Layout.Columns.Count} columns.", nameof(row));
        }

        _rows.Add(row);
    }

    public Guid GetId(int row) => (Guid)_rows[row][Layout.IdOrdinal]!;

    public long GetVersion(int row) => _rows[row][Layout.VersionOrdinal] is long v ? v : 0;

    /// <summary>The latest <c>modifiedon</c> in the batch (the newest source change); null when the table has none or no row has it.</summary>
    public DateTime? MaxModifiedOn() => ModifiedOn(latest: true);

    /// <summary>The earliest <c>modifiedon</c> in the batch (the change that waited longest, for lag); null when the table has none or no row has it.</summary>
    public DateTime? MinModifiedOn() => ModifiedOn(latest: false);

    private DateTime? ModifiedOn(bool latest)
    {
        var ordinal = Layout.ModifiedOnOrdinal;
        if (ordinal < 0)
        {
            return null;
        }

        DateTime? pick = null;
        foreach (var row in _rows)
        {
            if (row[ordinal] is DateTime d && (pick is null || (latest ? d > pick : d < pick)))
            {
                pick = d;
            }
        }

        return pick;
    }
}
