namespace ReportingSync.Model;

/// <summary>
/// Rows of one page, in <see cref="TableLayout"/> column order, whose values use the CLR types listed on
/// <see cref="ColumnStorageType"/>; null means SQL NULL.
/// <para>
/// Two forms behind one API. Pages the source decodes are held by column in typed arrays (<see cref="Columns"/>,
/// pooled): the fast path the bulk writers read without boxing a cell. Rows built as objects (<see cref="Add"/>,
/// <see cref="AddRow"/>) are kept as <c>object?[]</c>. Anything that asks for rows as objects (<see cref="Rows"/>, the
/// indexer) turns a columnar batch into the object form once, for good, so a caller that edits a row in place
/// (masking, tests) edits the batch: that is the slow path, meant for small pages and checks, not for seeds.
/// </para>
/// <para>
/// Dispose the batch once its page is committed: a columnar batch's arrays go back to the pool for the next page.
/// <see cref="Count"/> stays readable after that; the values do not.
/// </para>
/// </summary>
public sealed class RowBatch : IDisposable
{
    private List<object?[]>? _rows;
    private ColumnarRows? _columns;
    private int _disposedCount = -1;

    public RowBatch(TableLayout layout, int capacity = 0)
    {
        Layout = layout;
        _rows = new List<object?[]>(capacity);
    }

    private RowBatch(TableLayout layout, ColumnarRows columns, Action<ColumnarRows> release)
    {
        Layout = layout;
        _columns = columns;
        _release = release;
    }

    private readonly Action<ColumnarRows>? _release;

    /// <summary>An empty columnar batch with room for <paramref name="capacity"/> rows, its storage from the pool.</summary>
    internal static RowBatch Columnar(TableLayout layout, int capacity) => new(layout, ColumnarRowsPool.Rent(layout, capacity), ColumnarRowsPool.Return);

    /// <summary>A columnar batch over storage the caller owns; <paramref name="release"/> gets it back when the batch is done with it.</summary>
    internal static RowBatch Over(ColumnarRows columns, Action<ColumnarRows> release) => new(columns.Layout, columns, release);

    public TableLayout Layout { get; }

    public int Count => _columns?.Count ?? _rows?.Count ?? _disposedCount;

    /// <summary>The typed storage of a columnar batch (the fast path), or null once the batch holds objects.</summary>
    internal ColumnarRows? Columns
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposedCount >= 0, this);
            return _columns;
        }
    }

    /// <summary>
    /// About the bytes the values hold, for memory budgets: a columnar batch's arrays, or for rows of objects a row array
    /// and a boxed value per cell (0 once disposed).
    /// </summary>
    internal long BytesHeld =>
        _disposedCount >= 0 ? 0
        : _columns is { } columns ? columns.BytesHeld
        : (long)(_rows?.Count ?? 0) * Layout.Columns.Count * 32;

    /// <summary>The rows as objects; on a columnar batch, the slow path (see the class remarks).</summary>
    public IReadOnlyList<object?[]> Rows => ObjectRows();

    /// <summary>A row as objects; on a columnar batch, the slow path (see the class remarks).</summary>
    public object?[] this[int row] => ObjectRows()[row];

    /// <summary>Appends an empty row (all nulls) and returns it for the caller to fill.</summary>
    public object?[] AddRow()
    {
        var row = new object?[Layout.Columns.Count];
        ObjectRows().Add(row);
        return row;
    }

    /// <summary>Appends a row built elsewhere; it must have exactly one value per layout column.</summary>
    public void Add(object?[] row)
    {
        if (row.Length != Layout.Columns.Count)
        {
            throw new ArgumentException($"Row has {row.Length} values; table '{Layout.TableName}' has {Layout.Columns.Count} columns.", nameof(row));
        }

        ObjectRows().Add(row);
    }

    public Guid GetId(int row)
    {
        if (Columns is { } columns)
        {
            return columns.IsNull(row, Layout.IdOrdinal)
                ? throw new InvalidOperationException($"Row {row} of '{Layout.TableName}' has no Id.")
                : columns.GetGuid(row, Layout.IdOrdinal);
        }

        return (Guid)ObjectRows()[row][Layout.IdOrdinal]!;
    }

    public long GetVersion(int row)
    {
        if (Columns is { } columns)
        {
            var ordinal = Layout.VersionOrdinal;
            return columns.IsNull(row, ordinal) ? 0 : columns.GetInt64(row, ordinal);
        }

        return ObjectRows()[row][Layout.VersionOrdinal] is long v ? v : 0;
    }

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
        if (Columns is { } columns)
        {
            for (var row = 0; row < columns.Count; row++)
            {
                if (!columns.IsNull(row, ordinal) && columns.GetDateTime(row, ordinal) is var d && (pick is null || (latest ? d > pick : d < pick)))
                {
                    pick = d;
                }
            }

            return pick;
        }

        foreach (var row in ObjectRows())
        {
            if (row[ordinal] is DateTime d && (pick is null || (latest ? d > pick : d < pick)))
            {
                pick = d;
            }
        }

        return pick;
    }

    /// <summary>Returns a columnar batch's storage to the pool. The values are gone after this; <see cref="Count"/> stays.</summary>
    public void Dispose()
    {
        if (_disposedCount >= 0)
        {
            return;
        }

        _disposedCount = Count;
        if (_columns is { } columns)
        {
            _columns = null;
            _release!(columns);
        }

        _rows = null;
    }

    /// <summary>The rows as objects, turning a columnar batch into them first (once; its storage goes back to its owner).</summary>
    private List<object?[]> ObjectRows()
    {
        ObjectDisposedException.ThrowIf(_disposedCount >= 0, this);
        if (_columns is { } columns)
        {
            var rows = new List<object?[]>(columns.Count);
            for (var row = 0; row < columns.Count; row++)
            {
                rows.Add(columns.ToObjects(row));
            }

            _rows = rows;
            _columns = null;
            _release!(columns);
        }

        return _rows!;
    }
}
