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
