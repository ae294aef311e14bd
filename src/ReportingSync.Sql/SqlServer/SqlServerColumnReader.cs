using System.Collections;
using System.Data.Common;
using ReportingSync.Model;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// A forward-only <see cref="DbDataReader"/> over a columnar page (<see cref="SelectedRows"/>) for SqlBulkCopy: it
/// streams the cells where they lie, with their real field types and typed getters, instead of first turning every row
/// into objects. SqlBulkCopy still asks most values through <see cref="GetValue"/>, which boxes one cell at a time as it
/// is sent. Each field is a layout column or one of the sync columns (<see cref="SinkTime"/>, <see cref="NotDeleted"/>).
/// Values are what <see cref="SqlServerValues.ToDb"/> gives: dates as DateTime, date-times as UTC.
/// </summary>
internal sealed class SqlServerColumnReader(SelectedRows rows, IReadOnlyList<string> names, IReadOnlyList<int> fields, DateTime? sinkTime) : DbDataReader
{
    /// <summary>A field holding the commit time.</summary>
    public const int SinkTime = -1;

    /// <summary>A field holding false (IsDeleted of a row just written).</summary>
    public const int NotDeleted = -2;

    private static readonly object False = false;

    private readonly ColumnarRows _cells = rows.Columns;
    private readonly object? _sinkTime = sinkTime;
    private int _index = -1;
    private int _row = -1;

    public override int FieldCount => fields.Count;
    public override int RecordsAffected => -1;
    public override bool HasRows => rows.Count > 0;
    public override bool IsClosed => _index >= rows.Count;
    public override int Depth => 0;
    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        if (++_index >= rows.Count)
        {
            return false;
        }

        _row = rows.RowAt(_index);
        return true;
    }

    public override bool NextResult() => false;

    public override object GetValue(int ordinal)
    {
        var field = fields[ordinal];
        if (field < 0)
        {
            return field == SinkTime ? _sinkTime ?? DBNull.Value : False;
        }

        if (_cells.IsNull(_row, field))
        {
            return DBNull.Value;
        }

        return _cells.TypeOf(field) switch
        {
            ColumnStorageType.Guid => _cells.GetGuid(_row, field),
            ColumnStorageType.String => _cells.GetString(_row, field),
            ColumnStorageType.Int32 => _cells.GetInt32(_row, field),
            ColumnStorageType.Int64 => _cells.GetInt64(_row, field),
            ColumnStorageType.Decimal => _cells.GetDecimal(_row, field),
            ColumnStorageType.Double => _cells.GetDouble(_row, field),
            ColumnStorageType.Boolean => _cells.GetBoolean(_row, field),
            ColumnStorageType.DateTime => GetDateTime(ordinal),
            ColumnStorageType.Date => GetDateTime(ordinal),
            var type => throw new InvalidOperationException($"Column type {type} has no SQL Server form."),
        };
    }

    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < n; i++)
        {
            values[i] = GetValue(i);
        }

        return n;
    }

    public override bool IsDBNull(int ordinal) => fields[ordinal] is var field && (field >= 0 ? _cells.IsNull(_row, field) : field == SinkTime && _sinkTime is null);

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

    public override Type GetFieldType(int ordinal) => fields[ordinal] switch
    {
        SinkTime => typeof(DateTime),
        NotDeleted => typeof(bool),
        var field => _cells.TypeOf(field) switch
        {
            ColumnStorageType.Guid => typeof(Guid),
            ColumnStorageType.String => typeof(string),
            ColumnStorageType.Int32 => typeof(int),
            ColumnStorageType.Int64 => typeof(long),
            ColumnStorageType.Decimal => typeof(decimal),
            ColumnStorageType.Double => typeof(double),
            ColumnStorageType.Boolean => typeof(bool),
            _ => typeof(DateTime),
        },
    };

    public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

    public override bool GetBoolean(int ordinal) => fields[ordinal] is var field && field >= 0 && _cells.GetBoolean(_row, field);
    public override DateTime GetDateTime(int ordinal) => fields[ordinal] switch
    {
        SinkTime => sinkTime ?? throw new InvalidCastException("The field is NULL."),
        var field when _cells.TypeOf(field) == ColumnStorageType.Date => _cells.GetDate(_row, field).ToDateTime(TimeOnly.MinValue),
        var field => UtcDateTime.AsUtc(_cells.GetDateTime(_row, field)),
    };

    public override decimal GetDecimal(int ordinal) => _cells.GetDecimal(_row, fields[ordinal]);
    public override double GetDouble(int ordinal) => _cells.GetDouble(_row, fields[ordinal]);
    public override Guid GetGuid(int ordinal) => _cells.GetGuid(_row, fields[ordinal]);
    public override int GetInt32(int ordinal) => _cells.GetInt32(_row, fields[ordinal]);
    public override long GetInt64(int ordinal) => _cells.GetInt64(_row, fields[ordinal]);
    public override string GetString(int ordinal) => _cells.GetString(_row, fields[ordinal]);
    public override byte GetByte(int ordinal) => throw new InvalidCastException();
    public override char GetChar(int ordinal) => throw new InvalidCastException();
    public override float GetFloat(int ordinal) => throw new InvalidCastException();
    public override short GetInt16(int ordinal) => throw new InvalidCastException();

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

    public override IEnumerator GetEnumerator() => throw new NotSupportedException();
}
