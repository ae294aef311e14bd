using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>
/// Converts the current JSON value into the CLR type of a <see cref="ColumnStorageType"/> (see its doc comment).
/// Strict: a value of the wrong JSON kind fails rather than being coerced, so bad rows are reported, not guessed.
/// </summary>
internal static class ValueReader
{
    /// <summary>
    /// Reads the value into the cell (<paramref name="row"/>, <paramref name="ordinal"/>) of the page's typed columns;
    /// JSON null leaves it NULL. False when the value does not fit the column (the caller reports it).
    /// </summary>
    public static bool TryRead(ref Utf8JsonReader reader, TableColumn column, ColumnarRows rows, int row, int ordinal)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            rows.SetNull(row, ordinal);
            return true;
        }

        if (column.Masked)
        {
            // Hashed by the engine: the text exactly as Dataverse sent it is what the hash is of.
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    ReadText(ref reader, rows, row, ordinal);
                    return true;
                case JsonTokenType.Number:
                    rows.SetText(row, ordinal, reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
                    return true;
                default:
                    return false;
            }
        }

        switch (column.Type)
        {
            case ColumnStorageType.String when reader.TokenType == JsonTokenType.String:
                ReadText(ref reader, rows, row, ordinal);
                return true;
            case ColumnStorageType.Guid when reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var guid):
                rows.SetGuid(row, ordinal, guid);
                return true;
            case ColumnStorageType.Int32 when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var int32):
                rows.SetInt32(row, ordinal, int32);
                return true;
            case ColumnStorageType.Int64 when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var int64):
                rows.SetInt64(row, ordinal, int64);
                return true;
            case ColumnStorageType.Decimal when reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var number):
                rows.SetDecimal(row, ordinal, number);
                return true;
            case ColumnStorageType.Double when reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var real):
                rows.SetDouble(row, ordinal, real);
                return true;
            case ColumnStorageType.Boolean when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                rows.SetBoolean(row, ordinal, reader.TokenType == JsonTokenType.True);
                return true;
            case ColumnStorageType.DateTime when reader.TokenType == JsonTokenType.String && TryReadDate(ref reader, column, out var written):
                rows.SetDateTime(row, ordinal, DateTime.SpecifyKind(written, DateTimeKind.Utc));
                return true;
            case ColumnStorageType.Date when reader.TokenType == JsonTokenType.String && TryReadDate(ref reader, column, out var written):
                rows.SetDate(row, ordinal, DateOnly.FromDateTime(written));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A string's text as UTF-8, unescaped, straight into the page's text buffer: no string, and no transcoding to UTF-16
    /// and back (the writers take UTF-8). Invalid UTF-8 fails as <see cref="Utf8JsonReader.GetString"/> fails on it.
    /// </summary>
    private static void ReadText(ref Utf8JsonReader reader, ColumnarRows rows, int row, int ordinal)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var text = reader.ValueSpan;
            if (!Utf8.IsValid(text))
            {
                text = Encoding.UTF8.GetBytes(reader.GetString()!);
            }

            rows.SetText(row, ordinal, text);
            return;
        }

        // Unescaping never lengthens the text.
        var space = rows.TextSpace(reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length);
        var written = reader.CopyString(space);
        if (!Utf8.IsValid(space[..written]))
        {
            rows.SetText(row, ordinal, Encoding.UTF8.GetBytes(reader.GetString()!));
            return;
        }

        rows.SetText(row, ordinal, written);
    }

    /// <summary>What a column expects, for error messages.</summary>
    public static string Expected(TableColumn column) => column.Type switch
    {
        ColumnStorageType.Guid => "a GUID string",
        ColumnStorageType.String => "a string",
        ColumnStorageType.Int32 => "a whole number that fits Int32",
        ColumnStorageType.Int64 => "a whole number that fits Int64",
        ColumnStorageType.Decimal => "a number that fits decimal",
        ColumnStorageType.Double => "a number",
        ColumnStorageType.Boolean => "true or false",
        ColumnStorageType.DateTime or ColumnStorageType.Date => "an ISO-8601 date or date-time string",
        _ => column.Type.ToString(),
    };

    /// <summary>
    /// UserLocal values are instants: converted to UTC. DateOnly and TimeZoneIndependent values are wall-clock values:
    /// kept exactly as written (an offset, if any, is not applied), labelled UTC. A date without time is midnight.
    /// Date storage keeps the written calendar date.
    /// </summary>
    private static bool TryReadDate(ref Utf8JsonReader reader, TableColumn column, out DateTime written)
    {
        written = default;
        ReadOnlySpan<byte> text = reader.HasValueSequence || reader.ValueIsEscaped
            ? Encoding.UTF8.GetBytes(reader.GetString()!)
            : reader.ValueSpan;

        if (text.Length == 10)
        {
            if (!TryParseDate(text, out var date))
            {
                return false;
            }

            written = date.ToDateTime(TimeOnly.MinValue);
            return true;
        }

        if (HasOffset(text))
        {
            if (!reader.TryGetDateTimeOffset(out var withOffset))
            {
                return false;
            }

            written = column.DateTimeBehavior == DateTimeBehavior.UserLocal ? withOffset.UtcDateTime : withOffset.DateTime;
            return true;
        }

        // Without an offset the value is taken as written (and labelled UTC by the caller); false when it is not a date-time.
        return reader.TryGetDateTime(out written);
    }

    private static bool HasOffset(ReadOnlySpan<byte> text) =>
        text.Length > 0 && (text[^1] is (byte)'Z' or (byte)'z'
            || (text.Length >= 6 && text[^6] is (byte)'+' or (byte)'-' && text[^3] == (byte)':'));

    /// <summary><c>yyyy-MM-dd</c>, digits only, a real calendar date.</summary>
    private static bool TryParseDate(ReadOnlySpan<byte> text, out DateOnly date)
    {
        date = default;
        if (text[4] != (byte)'-' || text[7] != (byte)'-'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
