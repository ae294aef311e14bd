using System.Collections;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using ReportingSync.Model;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// SqlBulkCopy of layout rows (or key lists) into a table: the session's temp stage, or the entity table itself when a
/// bulk-loaded page has no existing ids. Rows are streamed through a forward-only reader over the page (no DataTable
/// copy), columns mapped by ordinal to names, inside the page's transaction, with KeepNulls (a NULL stays NULL, never
/// a column default). Like the other dialects' writers nothing is kept unless the page's transaction commits; a failed
/// copy dooms the transaction (XACT_ABORT), so nothing of the page remains. Rows arrive screened (<see cref="RowScreen"/>).
/// </summary>
internal static class SqlServerBulkWriter
{
    /// <summary>Copies <paramref name="rows"/>; <paramref name="value"/> gives column <c>i</c> of a row as SqlClient takes it.</summary>
    public static Task<long> WriteAsync(
        SqlConnection connection, SqlTransaction? transaction, string destination, IReadOnlyList<string> columns,
        IReadOnlyList<object?[]> rows, Func<object?[], int, object?> value, CancellationToken ct) =>
        CopyAsync(connection, transaction, destination, columns, new RowReader(rows, columns, value), rows.Count, ct);

    /// <summary>The rows' ids alone (the bulk load's key check).</summary>
    public static Task<long> WriteKeysAsync(
        SqlConnection connection, SqlTransaction? transaction, string destination, TableLayout layout, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        IReadOnlyList<string> columns = [SyncColumns.Id];
        return rows is SelectedRows selected
            ? CopyAsync(connection, transaction, destination, columns, new SqlServerColumnReader(selected, columns, [layout.IdOrdinal], null), rows.Count, ct)
            : WriteAsync(connection, transaction, destination, columns, rows, (row, _) => row[layout.IdOrdinal], ct);
    }

    private static async Task<long> CopyAsync(
        SqlConnection connection, SqlTransaction? transaction, string destination, IReadOnlyList<string> columns, DbDataReader reader, int count, CancellationToken ct)
    {
        await using var source = reader;
        using var copy = new SqlBulkCopy(connection, SqlBulkCopyOptions.KeepNulls, transaction)
        {
            DestinationTableName = destination,
            BatchSize = 0,
            BulkCopyTimeout = connection.CommandTimeout,

            // The page is in memory already; streaming would have SqlBulkCopy ask for TextReaders it does not need.
            EnableStreaming = false,
        };
        for (var i = 0; i < columns.Count; i++)
        {
            copy.ColumnMappings.Add(i, columns[i]);
        }

        await copy.WriteToServerAsync(source, ct);
        return count;
    }

    /// <summary>Layout rows, optionally followed by the sync columns (straight into an entity table).</summary>
    public static Task<long> WriteRowsAsync(
        SqlConnection connection, SqlTransaction? transaction, string destination, TableLayout layout, IReadOnlyList<object?[]> rows,
        DateTime? sinkTime, CancellationToken ct)
    {
        var columns = layout.Columns.Select(c => c.Name).ToList();
        var count = layout.Columns.Count;
        if (sinkTime is not null)
        {
            columns.Add(SyncColumns.SinkCreatedOn);
            columns.Add(SyncColumns.SinkModifiedOn);
            if (layout.Options.SoftDeletes)
            {
                columns.Add(SyncColumns.IsDeleted);
            }
        }

        if (rows is SelectedRows selected)
        {
            // The fast path: cells streamed from the page's columns, typed (see SqlServerColumnReader).
            List<int> fields = [.. Enumerable.Range(0, count)];
            fields.AddRange(columns.Skip(count).Select(c => c == SyncColumns.IsDeleted ? SqlServerColumnReader.NotDeleted : SqlServerColumnReader.SinkTime));
            return CopyAsync(connection, transaction, destination, columns, new SqlServerColumnReader(selected, columns, fields, sinkTime), rows.Count, ct);
        }

        object? Value(object?[] row, int i) => i < count ? SqlServerValues.ToDb(row[i]) : i - count < 2 ? sinkTime : false;
        return WriteAsync(connection, transaction, destination, columns, rows, Value, ct);
    }

    /// <summary>A forward-only reader over in-memory rows; only what SqlBulkCopy reads is implemented.</summary>
    private sealed class RowReader(IReadOnlyList<object?[]> rows, IReadOnlyList<string> names, Func<object?[], int, object?> value) : DbDataReader
    {
        private int _index = -1;

        public override int FieldCount => names.Count;
        public override int RecordsAffected => -1;
        public override bool HasRows => rows.Count > 0;
        public override bool IsClosed => _index >= rows.Count;
        public override int Depth => 0;
        public override object this[int ordinal] => GetValue(ordinal);
        public override object this[string name] => GetValue(GetOrdinal(name));

        public override bool Read() => ++_index < rows.Count;

        public override bool NextResult() => false;

        public override object GetValue(int ordinal) => value(rows[_index], ordinal) ?? DBNull.Value;

        public override int GetValues(object[] values)
        {
            var n = Math.Min(values.Length, FieldCount);
            for (var i = 0; i < n; i++)
            {
                values[i] = GetValue(i);
            }

            return n;
        }

        public override bool IsDBNull(int ordinal) => GetValue(ordinal) is DBNull;

        public override string GetName(int ordinal) => names[ordinal];

        public override int GetOrdinal(string name)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            throw new IndexOutOfRangeException(name);
        }

        public override Type GetFieldType(int ordinal) => typeof(object);

        public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

        public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);
        public override byte GetByte(int ordinal) => (byte)GetValue(ordinal);
        public override char GetChar(int ordinal) => (char)GetValue(ordinal);
        public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);
        public override decimal GetDecimal(int ordinal) => (decimal)GetValue(ordinal);
        public override double GetDouble(int ordinal) => (double)GetValue(ordinal);
        public override float GetFloat(int ordinal) => (float)GetValue(ordinal);
        public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);
        public override short GetInt16(int ordinal) => (short)GetValue(ordinal);
        public override int GetInt32(int ordinal) => (int)GetValue(ordinal);
        public override long GetInt64(int ordinal) => (long)GetValue(ordinal);
        public override string GetString(int ordinal) => (string)GetValue(ordinal);

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

        public override IEnumerator GetEnumerator() => throw new NotSupportedException();
    }
}
