using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"), written
/// into one pooled buffer that the caller sends to Npgsql's raw binary COPY stream. Why not
/// <c>NpgsqlBinaryImporter.WriteAsync&lt;T&gt;</c>: it resolves a converter and binds a parameter object for every cell,
/// which a profile of a 1M-row x 60-column seed put at about 2.4 s of the worker's 16 s of CPU; here a cell is a length
/// and a few big-endian bytes. The value encodings are the ones Npgsql's own converters produce (including its mapping
/// of DateTime/DateOnly Min/MaxValue to -infinity/infinity), so a table reads the same whichever path wrote it.
/// </summary>
internal sealed class PostgreSqlCopyEncoder : IDisposable
{
    // "PGCOPY\n\377\r\n\0" (a u8 literal would encode \377 as two bytes).
    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    // Microseconds / days between 0001-01-01 and PostgreSQL's epoch, 2000-01-01.
    private const long EpochTicks = 630_822_816_000_000_000;
    private static readonly int EpochDay = new DateOnly(2000, 1, 1).DayNumber;

    private byte[] _buffer;
    private int _length;

    public PostgreSqlCopyEncoder(int initialBytes = 64 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);
        Signature.CopyTo(Reserve(Signature.Length + 8));
        _length += Signature.Length;
        WriteInt32Raw(0); // flags: no OIDs
        WriteInt32Raw(0); // header extension length
    }

    /// <summary>Encoded bytes not yet taken by <see cref="Take"/>.</summary>
    public int Length => _length;

    /// <summary>The encoded bytes so far; the caller sends them, then calls <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Take() => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    public void StartRow(int fields) => WriteInt16Raw((short)fields);

    /// <summary>The end-of-data marker (a field count of -1).</summary>
    public void Finish() => WriteInt16Raw(-1);

    public void WriteNull() => WriteInt32Raw(-1);

    public void WriteGuid(Guid value)
    {
        var span = Field(16);
        value.TryWriteBytes(span, bigEndian: true, out _);
    }

    public void WriteText(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Field(utf8.Length));
    }

    public void WriteText(string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        Encoding.UTF8.GetBytes(value, Field(bytes));
    }

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Field(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Field(8), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleBigEndian(Field(8), value);

    public void WriteBoolean(bool value) => Field(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>A <c>timestamp</c> (without time zone): microseconds since 2000-01-01, truncated as Npgsql does.</summary>
    public void WriteTimestamp(DateTime value) => WriteInt64(
        value == DateTime.MaxValue ? long.MaxValue : value == DateTime.MinValue ? long.MinValue : (value.Ticks - EpochTicks) / 10);

    /// <summary>A <c>date</c>: days since 2000-01-01.</summary>
    public void WriteDate(DateOnly value) => WriteInt32(
        value == DateOnly.MaxValue ? int.MaxValue : value == DateOnly.MinValue ? int.MinValue : value.DayNumber - EpochDay);

    /// <summary>
    /// A <c>numeric</c>: digit count, weight (of the first digit, in powers of 10000), sign, display scale, then the
    /// base-10000 digits, most significant first, without leading or trailing zero digits.
    /// </summary>
    public void WriteNumeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];

        // Pad the fraction to whole base-10000 digits, then split from the least significant end.
        var pad = (4 - (scale % 4)) % 4;
        for (var i = 0; i < pad; i++)
        {
            mantissa *= 10;
        }

        var fractionDigits = (scale + pad) / 4;
        Span<short> digits = stackalloc short[10];
        var count = 0;
        while (mantissa != 0)
        {
            digits[count++] = (short)(ushort)(mantissa % 10_000);
            mantissa /= 10_000;
        }

        // digits[0] is the least significant; weight is the power of the most significant one.
        var weight = count - fractionDigits - 1;
        var low = 0;
        while (low < count && digits[low] == 0)
        {
            low++;
        }

        var used = count - low;
        var field = Field(8 + (2 * used));
        BinaryPrimitives.WriteInt16BigEndian(field, (short)used);
        BinaryPrimitives.WriteInt16BigEndian(field[2..], (short)(used == 0 ? 0 : weight));
        BinaryPrimitives.WriteUInt16BigEndian(field[4..], used != 0 && negative ? (ushort)0x4000 : (ushort)0);
        BinaryPrimitives.WriteInt16BigEndian(field[6..], (short)scale);
        for (var i = 0; i < used; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(field[(8 + (2 * i))..], digits[count - 1 - i]);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>Writes a field's length and returns the space for its value.</summary>
    private Span<byte> Field(int bytes)
    {
        var span = Reserve(4 + bytes);
        BinaryPrimitives.WriteInt32BigEndian(span, bytes);
        _length += 4 + bytes;
        return span.Slice(4, bytes);
    }

    private void WriteInt32Raw(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);
        _length += 4;
    }

    private void WriteInt16Raw(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), value);
        _length += 2;
    }

    private Span<byte> Reserve(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            // A row bigger than the buffer (a long memo): grow, keeping what is encoded.
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsSpan(_length, bytes);
    }
}
