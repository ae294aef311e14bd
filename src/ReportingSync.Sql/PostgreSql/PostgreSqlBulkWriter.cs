using Npgsql;
using NpgsqlTypes;
using ReportingSync.Model;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// Binary COPY of layout rows into a table (the page's stage, or the entity table itself when seeding). Values go
/// through typed writes with explicit <see cref="NpgsqlDbType"/>s, never through text. Like Npgsql's importer it needs
/// an explicit <see cref="CompleteAsync"/>: disposing without it cancels the COPY, and nothing is written.
/// Rows arrive screened (<see cref="RowScreen"/>): values a column cannot hold went to the quarantine table instead.
/// </summary>
internal sealed class PostgreSqlBulkWriter : IAsyncDisposable
{
    private readonly NpgsqlBinaryImporter _importer;
    private readonly TableLayout _layout;
    private readonly string _table;
    private readonly DateTime? _sinkTime;
    private readonly List<Guid?> _written = [];

    private PostgreSqlBulkWriter(NpgsqlBinaryImporter importer, TableLayout layout, string table, DateTime? sinkTime)
    {
        _importer = importer;
        _layout = layout;
        _table = table;
        _sinkTime = sinkTime;
    }

    /// <summary>Ids of the rows written so far, in order, so a server error on COPY line N can name its row.</summary>
    public IReadOnlyList<Guid?> WrittenIds => _written;

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
        var importer = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        return new PostgreSqlBulkWriter(importer, layout, table, sinkTime);
    }

    public async Task WriteAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows is SelectedRows selected)
        {
            await WriteAsync(selected, cancellationToken);
            return;
        }

        foreach (var row in rows)
        {
            _written.Add(PageRows.TryGetId(row, _layout));
            await _importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < _layout.Columns.Count; i++)
            {
                await WriteValueAsync(_layout.Columns[i], row[i], row, cancellationToken);
            }

            if (_sinkTime is { } utc)
            {
                var now = PostgreSqlValues.ToTimestamp(utc);
                await _importer.WriteAsync(now, NpgsqlDbType.Timestamp, cancellationToken);
                await _importer.WriteAsync(now, NpgsqlDbType.Timestamp, cancellationToken);
                if (_layout.Options.SoftDeletes)
                {
                    await _importer.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// The fast path: cells read typed from the page's columns and written with <c>WriteAsync&lt;T&gt;</c>, so nothing is
    /// boxed; text goes as the UTF-8 bytes it was decoded to (Npgsql writes <see cref="ReadOnlyMemory{T}"/> of bytes to a
    /// <c>text</c> column as they are), never through a string. The writes complete synchronously until Npgsql's buffer
    /// fills.
    /// </summary>
    private async Task WriteAsync(SelectedRows rows, CancellationToken cancellationToken)
    {
        var cells = rows.Columns;
        var columns = _layout.Columns;
        var sinkTime = _sinkTime is { } utc ? PostgreSqlValues.ToTimestamp(utc) : (DateTime?)null;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows.RowAt(i);
            _written.Add(PageRows.TryGetId(cells, row, _layout));
            await _importer.StartRowAsync(cancellationToken);
            for (var c = 0; c < columns.Count; c++)
            {
                // Awaited only when Npgsql had to flush: most writes complete at once, and skipping the await machinery
                // for them is most of what a cell costs here.
                var written = WriteCell(cells, row, c, cancellationToken);
                if (!written.IsCompletedSuccessfully)
                {
                    await written;
                }
            }

            if (sinkTime is { } now)
            {
                await _importer.WriteAsync(now, NpgsqlDbType.Timestamp, cancellationToken);
                await _importer.WriteAsync(now, NpgsqlDbType.Timestamp, cancellationToken);
                if (_layout.Options.SoftDeletes)
                {
                    await _importer.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                }
            }
        }
    }

    private Task WriteCell(ColumnarRows cells, int row, int c, CancellationToken cancellationToken) =>
        cells.IsNull(row, c)
            ? _importer.WriteNullAsync(cancellationToken)
            : cells.TypeOf(c) switch
            {
                ColumnStorageType.Guid => _importer.WriteAsync(cells.GetGuid(row, c), NpgsqlDbType.Uuid, cancellationToken),
                ColumnStorageType.String => _importer.WriteAsync(cells.GetUtf8Memory(row, c), NpgsqlDbType.Text, cancellationToken),
                ColumnStorageType.Int32 => _importer.WriteAsync(cells.GetInt32(row, c), NpgsqlDbType.Integer, cancellationToken),
                ColumnStorageType.Int64 => _importer.WriteAsync(cells.GetInt64(row, c), NpgsqlDbType.Bigint, cancellationToken),
                ColumnStorageType.Decimal => _importer.WriteAsync(cells.GetDecimal(row, c), NpgsqlDbType.Numeric, cancellationToken),
                ColumnStorageType.Double => _importer.WriteAsync(cells.GetDouble(row, c), NpgsqlDbType.Double, cancellationToken),
                ColumnStorageType.Boolean => _importer.WriteAsync(cells.GetBoolean(row, c), NpgsqlDbType.Boolean, cancellationToken),
                ColumnStorageType.DateTime => _importer.WriteAsync(PostgreSqlValues.ToTimestamp(cells.GetDateTime(row, c)), NpgsqlDbType.Timestamp, cancellationToken),
                ColumnStorageType.Date => _importer.WriteAsync(cells.GetDate(row, c), NpgsqlDbType.Date, cancellationToken),
                var type => throw new InvalidOperationException($"Column type {type} has no PostgreSQL type."),
            };

    /// <summary>Commits the COPY; returns the rows the server took.</summary>
    public async Task<long> CompleteAsync(CancellationToken cancellationToken) => (long)await _importer.CompleteAsync(cancellationToken);

    public ValueTask DisposeAsync() => _importer.DisposeAsync();

    private Task WriteValueAsync(TableColumn column, object? value, object?[] row, CancellationToken ct)
    {
        if (value is null)
        {
            return _importer.WriteNullAsync(ct);
        }

        switch (column.Type, value)
        {
            case (ColumnStorageType.Guid, Guid g):
                return _importer.WriteAsync(g, NpgsqlDbType.Uuid, ct);
            case (ColumnStorageType.String, string s):
                return _importer.WriteAsync(s, NpgsqlDbType.Text, ct);
            case (ColumnStorageType.Int32, int n):
                return _importer.WriteAsync(n, NpgsqlDbType.Integer, ct);
            case (ColumnStorageType.Int64, long n):
                return _importer.WriteAsync(n, NpgsqlDbType.Bigint, ct);
            case (ColumnStorageType.Decimal, decimal d):
                return _importer.WriteAsync(d, NpgsqlDbType.Numeric, ct);
            case (ColumnStorageType.Double, double x):
                return _importer.WriteAsync(x, NpgsqlDbType.Double, ct);
            case (ColumnStorageType.Boolean, bool b):
                return _importer.WriteAsync(b, NpgsqlDbType.Boolean, ct);
            case (ColumnStorageType.DateTime, DateTime t):
                return _importer.WriteAsync(PostgreSqlValues.ToTimestamp(t), NpgsqlDbType.Timestamp, ct);
            case (ColumnStorageType.Date, DateOnly d):
                return _importer.WriteAsync(d, NpgsqlDbType.Date, ct);
            default:
                throw Reject(column, row, ValueChecks.WrongType(value, column.Type));
        }
    }

    private static string Quote(string trustedName) => PostgreSqlDialect.Identifiers.Quote(trustedName, "column");

    private RowRejectedException Reject(TableColumn column, object?[] row, string reason) =>
        new(_table, column.Name, PageRows.TryGetId(row, _layout), reason);
}
