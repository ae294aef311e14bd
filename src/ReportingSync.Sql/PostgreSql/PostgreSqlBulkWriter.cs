using Npgsql;
using ReportingSync.Model;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// Binary COPY of layout rows into a table (the page's stage, or the entity table itself when seeding): cells encoded
/// typed by <see cref="PostgreSqlCopyEncoder"/>, never through text, sent on Npgsql's raw binary COPY stream a buffer at
/// a time. Like Npgsql's importer it needs an explicit <see cref="CompleteAsync"/>: disposing without it cancels the
/// COPY, and nothing is written. Rows arrive screened (<see cref="RowScreen"/>): values a column cannot hold went to
/// the quarantine table instead.
/// </summary>
internal sealed class PostgreSqlBulkWriter : IAsyncDisposable
{
    // Sent once this much is encoded, at a row's end: large enough that a send costs little per row.
    private const int SendAt = 64 * 1024;

    private readonly NpgsqlRawCopyStream _stream;
    private readonly PostgreSqlCopyEncoder _encoder = new(SendAt + (16 * 1024));
    private readonly TableLayout _layout;
    private readonly string _table;
    private readonly DateTime? _sinkTime;
    private readonly int _fields;
    private readonly List<IReadOnlyList<object?[]>> _batches = [];
    private long _rows;
    private bool _completed;

    private PostgreSqlBulkWriter(NpgsqlRawCopyStream stream, TableLayout layout, string table, DateTime? sinkTime, int fields)
    {
        _stream = stream;
        _layout = layout;
        _table = table;
        _sinkTime = sinkTime is { } utc ? PostgreSqlValues.ToTimestamp(utc) : null;
        _fields = fields;
    }

    /// <summary>
    /// Ids of the rows written so far, in order, so a server error on COPY line N can name its row: read from the rows
    /// kept by reference when asked (only then), not collected per row.
    /// </summary>
    public IReadOnlyList<Guid?> WrittenIds() => [.. _batches.SelectMany(batch => PageRows.TryGetIds(batch, _layout))];

    /// <param name="qualifiedTable">Quoted target table.</param>
    /// <param name="table">Table name for error messages.</param>
    /// <param name="sinkTime">When set, the sync columns are written too (straight into an entity table).</param>
    public static async Task<PostgreSqlBulkWriter> BeginAsync(
        NpgsqlConnection connection, string qualifiedTable, TableLayout layout, string table, DateTime? sinkTime, CancellationToken cancellationToken)
    {
        var columns = layout.Columns.Select(c => PostgreSqlDialect.Identifiers.Quote(c.Name, "column", layout.EntityName)).ToList();
        if (sinkTime is not null)
        {
            columns.AddRange([Quote(SyncColumns.SinkCreatedOn), Quote(SyncColumns.SinkModifiedOn)]);
            if (layout.Options.SoftDeletes)
            {
                columns.Add(Quote(SyncColumns.IsDeleted));
            }
        }

        var sql = $"COPY {qualifiedTable} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)";
        var stream = await connection.BeginRawBinaryCopyAsync(sql, cancellationToken);
        return new PostgreSqlBulkWriter(stream, layout, table, sinkTime, columns.Count);
    }

    public async Task WriteAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        _batches.Add(rows);
        if (rows is SelectedRows selected)
        {
            await WriteAsync(selected, cancellationToken);
            return;
        }

        foreach (var row in rows)
        {
            _encoder.StartRow(_fields);
            for (var i = 0; i < _layout.Columns.Count; i++)
            {
                WriteValue(_layout.Columns[i], row[i], row);
            }

            await EndRowAsync(cancellationToken);
        }
    }

    /// <summary>The fast path: cells read typed from the page's columns, so nothing is boxed; text goes as the UTF-8 bytes it was decoded to.</summary>
    private async Task WriteAsync(SelectedRows rows, CancellationToken cancellationToken)
    {
        var cells = rows.Columns;
        var columns = _layout.Columns.Count;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows.RowAt(i);
            _encoder.StartRow(_fields);
            for (var c = 0; c < columns; c++)
            {
                WriteCell(cells, row, c);
            }

            await EndRowAsync(cancellationToken);
        }
    }

    private ValueTask EndRowAsync(CancellationToken cancellationToken)
    {
        _rows++;
        if (_sinkTime is { } now)
        {
            _encoder.WriteTimestamp(now);
            _encoder.WriteTimestamp(now);
            if (_layout.Options.SoftDeletes)
            {
                _encoder.WriteBoolean(false);
            }
        }

        return _encoder.Length >= SendAt ? SendAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    private async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(_encoder.Take(), cancellationToken);
        _encoder.Clear();
    }

    private void WriteCell(ColumnarRows cells, int row, int c)
    {
        if (cells.IsNull(row, c))
        {
            _encoder.WriteNull();
            return;
        }

        switch (cells.TypeOf(c))
        {
            case ColumnStorageType.Guid: _encoder.WriteGuid(cells.GetGuid(row, c)); break;
            case ColumnStorageType.String: _encoder.WriteText(cells.GetUtf8(row, c)); break;
            case ColumnStorageType.Int32: _encoder.WriteInt32(cells.GetInt32(row, c)); break;
            case ColumnStorageType.Int64: _encoder.WriteInt64(cells.GetInt64(row, c)); break;
            case ColumnStorageType.Decimal: _encoder.WriteNumeric(cells.GetDecimal(row, c)); break;
            case ColumnStorageType.Double: _encoder.WriteDouble(cells.GetDouble(row, c)); break;
            case ColumnStorageType.Boolean: _encoder.WriteBoolean(cells.GetBoolean(row, c)); break;
            case ColumnStorageType.DateTime: _encoder.WriteTimestamp(PostgreSqlValues.ToTimestamp(cells.GetDateTime(row, c))); break;
            case ColumnStorageType.Date: _encoder.WriteDate(cells.GetDate(row, c)); break;
            case var type: throw new InvalidOperationException($"Column type {type} has no PostgreSQL type.");
        }
    }

    private void WriteValue(TableColumn column, object? value, object?[] row)
    {
        switch (column.Type, value)
        {
            case (_, null): _encoder.WriteNull(); break;
            case (ColumnStorageType.Guid, Guid g): _encoder.WriteGuid(g); break;
            case (ColumnStorageType.String, string s): _encoder.WriteText(s); break;
            case (ColumnStorageType.Int32, int n): _encoder.WriteInt32(n); break;
            case (ColumnStorageType.Int64, long n): _encoder.WriteInt64(n); break;
            case (ColumnStorageType.Decimal, decimal d): _encoder.WriteNumeric(d); break;
            case (ColumnStorageType.Double, double x): _encoder.WriteDouble(x); break;
            case (ColumnStorageType.Boolean, bool b): _encoder.WriteBoolean(b); break;
            case (ColumnStorageType.DateTime, DateTime t): _encoder.WriteTimestamp(PostgreSqlValues.ToTimestamp(t)); break;
            case (ColumnStorageType.Date, DateOnly d): _encoder.WriteDate(d); break;
            default: throw Reject(column, row, ValueChecks.WrongType(value, column.Type));
        }
    }

    /// <summary>Ends the COPY; returns the rows the server took (all of them: a refused row fails the whole COPY).</summary>
    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        _encoder.Finish();
        await SendAsync(cancellationToken);
        _completed = true;
        await _stream.DisposeAsync();
        return _rows;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_completed)
            {
                // Abandoned (an error or a cancellation above): the server drops what it was sent. A broken connection
                // cannot be told, and then has nothing to drop; the error that got us here is the one that matters.
                await _stream.CancelAsync();
                await _stream.DisposeAsync();
            }
        }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _encoder.Dispose();
        }
    }

    private static string Quote(string trustedName) => PostgreSqlDialect.Identifiers.Quote(trustedName, "column");

    private RowRejectedException Reject(TableColumn column, object?[] row, string reason) =>
        new(_table, column.Name, PageRows.TryGetId(row, _layout), reason);
}
