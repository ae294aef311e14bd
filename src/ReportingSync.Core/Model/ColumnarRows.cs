using System.Runtime.CompilerServices;
using System.Text;

namespace ReportingSync.Model;

/// <summary>
/// A page's rows held by column: one typed array per layout column (the CLR types <see cref="ColumnStorageType"/>
/// lists), text as UTF-8 bytes in one buffer, and a presence bit per cell (absent = SQL NULL). The source decodes
/// straight into it and the bulk writers read it back, so no cell ever becomes an object: boxing every cell of a seed
/// (and the row arrays holding the boxes) was most of what the worker allocated, and the GC's work with it.
/// Instances are pooled per layout (<see cref="ColumnarRowsPool"/>): a seed's pages all have the same shape, so the
/// arrays grown for the first page serve every later one. Single-threaded, like the page it holds.
/// </summary>
internal sealed class ColumnarRows
{
    private const int InitialTextBytes = 64 * 1024;

    private readonly ColumnStorageType[] _types;
    private readonly int _words;
    private readonly Guid[]?[] _guids;
    private readonly int[]?[] _int32s;
    private readonly long[]?[] _int64s;
    private readonly decimal[]?[] _decimals;
    private readonly double[]?[] _doubles;
    private readonly bool[]?[] _booleans;
    private readonly DateTime[]?[] _dateTimes;
    private readonly DateOnly[]?[] _dates;
    private readonly TextSlice[]?[] _texts;
    private ulong[] _present = [];
    private byte[] _utf8 = [];
    private int _utf8Length;
    private int _rowTextStart;
    private int _capacity;

    public ColumnarRows(TableLayout layout)
    {
        Layout = layout;
        var count = layout.Columns.Count;
        _types = layout.Columns.Select(c => c.Type).ToArray();
        _words = (count + 63) / 64;
        _guids = new Guid[]?[count];
        _int32s = new int[]?[count];
        _int64s = new long[]?[count];
        _decimals = new decimal[]?[count];
        _doubles = new double[]?[count];
        _booleans = new bool[]?[count];
        _dateTimes = new DateTime[]?[count];
        _dates = new DateOnly[]?[count];
        _texts = new TextSlice[]?[count];
    }

    public TableLayout Layout { get; }

    public int Count { get; private set; }

    public int ColumnCount => _types.Length;

    /// <summary>Bytes held by the arrays (for memory budgets): the typed arrays, the presence bits and the text buffer.</summary>
    public long BytesHeld
    {
        get
        {
            long bytes = (_present.Length * sizeof(ulong)) + _utf8.Length;
            foreach (var type in _types)
            {
                bytes += (long)_capacity * SlotSize(type);
            }

            return bytes;
        }
    }

    public ColumnStorageType TypeOf(int column) => _types[column];

    /// <summary>Empties the rows, keeping every array for the next page.</summary>
    public void Clear()
    {
        Count = 0;
        _utf8Length = 0;
        _rowTextStart = 0;
    }

    /// <summary>Starts the next row with every cell absent (NULL); returns its index. <see cref="EndRow"/> keeps it.</summary>
    public int StartRow()
    {
        var row = Count;
        if (row == _capacity)
        {
            Grow(Math.Max(16, _capacity * 2));
        }

        _present.AsSpan(row * _words, _words).Clear();
        _rowTextStart = _utf8Length;
        return row;
    }

    /// <summary>Keeps the row started last.</summary>
    public void EndRow() => Count++;

    /// <summary>Drops the row started last (a deleted-entity entry, a row that failed), text included.</summary>
    public void AbandonRow() => _utf8Length = _rowTextStart;

    /// <summary>Adds every row of <paramref name="source"/> (rows of the same layout) after these, text included.</summary>
    public void Append(ColumnarRows source)
    {
        if (!_types.AsSpan().SequenceEqual(source._types))
        {
            throw new ArgumentException("Rows of another layout cannot be appended.", nameof(source));
        }

        var rows = source.Count;
        if (Count + rows > _capacity)
        {
            Grow(Math.Max(Count + rows, _capacity * 2));
        }

        Array.Copy(source._present, 0, _present, Count * _words, rows * _words);
        var textBase = _utf8Length;
        source._utf8.AsSpan(0, source._utf8Length).CopyTo(TextSpace(source._utf8Length));
        _utf8Length += source._utf8Length;
        for (var column = 0; column < _types.Length; column++)
        {
            switch (_types[column])
            {
                case ColumnStorageType.Guid: Array.Copy(source._guids[column]!, 0, _guids[column]!, Count, rows); break;
                case ColumnStorageType.Int32: Array.Copy(source._int32s[column]!, 0, _int32s[column]!, Count, rows); break;
                case ColumnStorageType.Int64: Array.Copy(source._int64s[column]!, 0, _int64s[column]!, Count, rows); break;
                case ColumnStorageType.Decimal: Array.Copy(source._decimals[column]!, 0, _decimals[column]!, Count, rows); break;
                case ColumnStorageType.Double: Array.Copy(source._doubles[column]!, 0, _doubles[column]!, Count, rows); break;
                case ColumnStorageType.Boolean: Array.Copy(source._booleans[column]!, 0, _booleans[column]!, Count, rows); break;
                case ColumnStorageType.DateTime: Array.Copy(source._dateTimes[column]!, 0, _dateTimes[column]!, Count, rows); break;
                case ColumnStorageType.Date: Array.Copy(source._dates[column]!, 0, _dates[column]!, Count, rows); break;
                case ColumnStorageType.String:
                    var from = source._texts[column]!;
                    var to = _texts[column]!;
                    for (var row = 0; row < rows; row++)
                    {
                        to[Count + row] = new TextSlice(from[row].Offset + textBase, from[row].Length);
                    }

                    break;
            }
        }

        Count += rows;
        _rowTextStart = _utf8Length;
    }

    /// <summary>Makes room for at least <paramref name="rows"/> rows.</summary>
    public void EnsureCapacity(int rows)
    {
        if (rows > _capacity)
        {
            Grow(rows);
        }
    }

    // ---- Writing (row = the index StartRow returned) ----

    /// <summary>Makes the cell NULL again (a property that came twice, the second time null).</summary>
    public void SetNull(int row, int column) => _present[(row * _words) + (column >> 6)] &= ~(1UL << column);

    public void SetGuid(int row, int column, Guid value)
    {
        _guids[column]![row] = value;
        MarkPresent(row, column);
    }

    public void SetInt32(int row, int column, int value)
    {
        _int32s[column]![row] = value;
        MarkPresent(row, column);
    }

    public void SetInt64(int row, int column, long value)
    {
        _int64s[column]![row] = value;
        MarkPresent(row, column);
    }

    public void SetDecimal(int row, int column, decimal value)
    {
        _decimals[column]![row] = value;
        MarkPresent(row, column);
    }

    public void SetDouble(int row, int column, double value)
    {
        _doubles[column]![row] = value;
        MarkPresent(row, column);
    }

    public void SetBoolean(int row, int column, bool value)
    {
        _booleans[column]![row] = value;
        MarkPresent(row, column);
    }

    /// <summary>A UTC date-time (Kind Utc).</summary>
    public void SetDateTime(int row, int column, DateTime value)
    {
        _dateTimes[column]![row] = value;
        MarkPresent(row, column);
    }

    public void SetDate(int row, int column, DateOnly value)
    {
        _dates[column]![row] = value;
        MarkPresent(row, column);
    }

    /// <summary>
    /// Room for <paramref name="maxBytes"/> bytes of text at the end of the text buffer: the caller writes UTF-8 into it,
    /// then calls <see cref="SetText(int, int, int)"/> with the length it wrote.
    /// </summary>
    public Span<byte> TextSpace(int maxBytes)
    {
        if (_utf8.Length - _utf8Length < maxBytes)
        {
            var grown = new byte[Math.Max(Math.Max(InitialTextBytes, _utf8.Length * 2), _utf8Length + maxBytes)];
            _utf8.AsSpan(0, _utf8Length).CopyTo(grown);
            _utf8 = grown;
        }

        return _utf8.AsSpan(_utf8Length, maxBytes);
    }

    /// <summary>Takes the <paramref name="length"/> bytes just written into <see cref="TextSpace"/> as the cell's UTF-8 text.</summary>
    public void SetText(int row, int column, int length)
    {
        _texts[column]![row] = new TextSlice(_utf8Length, length);
        _utf8Length += length;
        MarkPresent(row, column);
    }

    /// <summary>Every cell's text of the page, one after another: a byte absent here is absent from every cell.</summary>
    public ReadOnlySpan<byte> AllText => _utf8.AsSpan(0, _utf8Length);

    /// <summary>UTF-8 text (valid UTF-8: the caller checks).</summary>
    public void SetText(int row, int column, ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(TextSpace(utf8.Length));
        SetText(row, column, utf8.Length);
    }

    // ---- Reading ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int row, int column) => (_present[(row * _words) + (column >> 6)] & (1UL << column)) == 0;

    public Guid GetGuid(int row, int column) => _guids[column]![row];

    public int GetInt32(int row, int column) => _int32s[column]![row];

    public long GetInt64(int row, int column) => _int64s[column]![row];

    public decimal GetDecimal(int row, int column) => _decimals[column]![row];

    public double GetDouble(int row, int column) => _doubles[column]![row];

    public bool GetBoolean(int row, int column) => _booleans[column]![row];

    public DateTime GetDateTime(int row, int column) => _dateTimes[column]![row];

    public DateOnly GetDate(int row, int column) => _dates[column]![row];

    public ReadOnlySpan<byte> GetUtf8(int row, int column)
    {
        var slice = _texts[column]![row];
        return _utf8.AsSpan(slice.Offset, slice.Length);
    }

    /// <summary>The same bytes as memory (for writers that take <see cref="ReadOnlyMemory{T}"/>); valid until the rows are cleared.</summary>
    public ReadOnlyMemory<byte> GetUtf8Memory(int row, int column)
    {
        var slice = _texts[column]![row];
        return _utf8.AsMemory(slice.Offset, slice.Length);
    }

    public string GetString(int row, int column) => Encoding.UTF8.GetString(GetUtf8(row, column));

    /// <summary>The cell as an object of its CLR type, or null (the slow path: boxes).</summary>
    public object? GetValue(int row, int column)
    {
        if (IsNull(row, column))
        {
            return null;
        }

        return _types[column] switch
        {
            ColumnStorageType.Guid => GetGuid(row, column),
            ColumnStorageType.String => GetString(row, column),
            ColumnStorageType.Int32 => GetInt32(row, column),
            ColumnStorageType.Int64 => GetInt64(row, column),
            ColumnStorageType.Decimal => GetDecimal(row, column),
            ColumnStorageType.Double => GetDouble(row, column),
            ColumnStorageType.Boolean => GetBoolean(row, column),
            ColumnStorageType.DateTime => GetDateTime(row, column),
            ColumnStorageType.Date => GetDate(row, column),
            _ => throw new InvalidOperationException($"Column type {_types[column]} has no CLR type."),
        };
    }

    /// <summary>The row as a new array of objects (the slow path).</summary>
    public object?[] ToObjects(int row)
    {
        var values = new object?[_types.Length];
        for (var column = 0; column < values.Length; column++)
        {
            values[column] = GetValue(row, column);
        }

        return values;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkPresent(int row, int column) => _present[(row * _words) + (column >> 6)] |= 1UL << column;

    private void Grow(int capacity)
    {
        Array.Resize(ref _present, capacity * _words);
        for (var column = 0; column < _types.Length; column++)
        {
            switch (_types[column])
            {
                case ColumnStorageType.Guid:
                    Array.Resize(ref _guids[column], capacity);
                    break;
                case ColumnStorageType.String:
                    Array.Resize(ref _texts[column], capacity);
                    break;
                case ColumnStorageType.Int32:
                    Array.Resize(ref _int32s[column], capacity);
                    break;
                case ColumnStorageType.Int64:
                    Array.Resize(ref _int64s[column], capacity);
                    break;
                case ColumnStorageType.Decimal:
                    Array.Resize(ref _decimals[column], capacity);
                    break;
                case ColumnStorageType.Double:
                    Array.Resize(ref _doubles[column], capacity);
                    break;
                case ColumnStorageType.Boolean:
                    Array.Resize(ref _booleans[column], capacity);
                    break;
                case ColumnStorageType.DateTime:
                    Array.Resize(ref _dateTimes[column], capacity);
                    break;
                case ColumnStorageType.Date:
                    Array.Resize(ref _dates[column], capacity);
                    break;
            }
        }

        _capacity = capacity;
    }

    private static int SlotSize(ColumnStorageType type) => type switch
    {
        ColumnStorageType.Guid or ColumnStorageType.Decimal => 16,
        ColumnStorageType.String or ColumnStorageType.Int64 or ColumnStorageType.Double or ColumnStorageType.DateTime => 8,
        ColumnStorageType.Boolean => 1,
        _ => 4,
    };

    /// <summary>Where a cell's text lies in the text buffer.</summary>
    private readonly record struct TextSlice(int Offset, int Length);
}
