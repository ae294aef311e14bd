using System.Globalization;
using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// Checks that a value fits its column before it is written, so a value the column cannot hold is quarantined with the
/// table, column and row named instead of being truncated, rounded away or reported by the server as
/// "line 4127 of COPY". Each dialect's <c>Values.Problem</c> picks the checks its types need.
/// </summary>
internal static class ValueChecks
{
    /// <summary>
    /// Length in characters as PostgreSQL's varchar(n) counts them (Unicode code points); SQL Server counts UTF-16
    /// units. The fast path is exact for both: code points never outnumber UTF-16 units.
    /// </summary>
    public static bool ExceedsCodePoints(string value, int maxLength)
    {
        if (value.Length <= maxLength)
        {
            return false;
        }

        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            if (++count > maxLength)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// numeric(38, p) / decimal(38, p) hold 38 - p digits before the point; a .NET decimal can have up to 29, so only
    /// precisions above 9 can overflow.
    /// </summary>
    public static bool ExceedsNumeric38(decimal value, int precision)
    {
        var integerDigits = 38 - Math.Clamp(precision, 0, 38);
        if (integerDigits >= 29)
        {
            return false;
        }

        var limit = Pow10(integerDigits);
        return Math.Abs(decimal.Truncate(value)) >= limit;
    }

    /// <summary>
    /// SQL Server's nvarchar(n) counts UTF-16 code units (byte pairs), so a character outside the Basic Multilingual
    /// Plane takes two.
    /// </summary>
    public static bool ExceedsUtf16(string value, int maxLength) => value.Length > maxLength;

    public static string TooLongUtf16(string value, int maxLength) =>
        $"the value has {value.Length.ToString(CultureInfo.InvariantCulture)} UTF-16 code units but the column holds at most {maxLength.ToString(CultureInfo.InvariantCulture)}; it would be truncated.";

    public static string NumericOverflow(string typeName) =>
        $"the value has more digits before the decimal point than {typeName} holds.";

    /// <summary>NaN and infinities: SQL Server's float cannot hold them and SQLite stores NaN as NULL.</summary>
    public static string? NotFinite(double value) =>
        double.IsFinite(value) ? null : "the value is NaN or infinite, which the column cannot hold.";

    public static string DateOutOfRange(string typeName, string range) =>
        $"the date is outside the range of {typeName} ({range}).";

    /// <summary>Whether a non-null value has the CLR type <see cref="ColumnStorageType"/> documents for the column.</summary>
    public static bool IsClrTypeOf(ColumnStorageType type, object value) => type switch
    {
        ColumnStorageType.Guid => value is Guid,
        ColumnStorageType.String => value is string,
        ColumnStorageType.Int32 => value is int,
        ColumnStorageType.Int64 => value is long,
        ColumnStorageType.Decimal => value is decimal,
        ColumnStorageType.Double => value is double,
        ColumnStorageType.Boolean => value is bool,
        ColumnStorageType.DateTime => value is DateTime,
        ColumnStorageType.Date => value is DateOnly,
        _ => false,
    };

    /// <summary>What to say about a value of the wrong CLR type.</summary>
    public static string WrongType(object value, ColumnStorageType expected) =>
        $"the value is a {value.GetType().Name} but the column stores {expected} (expected CLR type {ClrTypeName(expected)}).";

    public static string ClrTypeName(ColumnStorageType type) => type switch
    {
        ColumnStorageType.Guid => nameof(Guid),
        ColumnStorageType.String => nameof(String),
        ColumnStorageType.Int32 => nameof(Int32),
        ColumnStorageType.Int64 => nameof(Int64),
        ColumnStorageType.Decimal => nameof(Decimal),
        ColumnStorageType.Double => nameof(Double),
        ColumnStorageType.Boolean => nameof(Boolean),
        ColumnStorageType.DateTime => "DateTime (Kind Utc)",
        ColumnStorageType.Date => nameof(DateOnly),
        _ => type.ToString(),
    };

    public static string TooLong(string value, int maxLength) =>
        $"the value has {CodePoints(value).ToString(CultureInfo.InvariantCulture)} characters but the column holds at most {maxLength.ToString(CultureInfo.InvariantCulture)}; it would be truncated.";

    private static int CodePoints(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }

    /// <summary>
    /// Why a string cannot be stored exactly as text by PostgreSQL or SQLite, or null when it can. A NUL character is
    /// refused by PostgreSQL and cuts the value short when SQLite's text is read back.
    /// </summary>
    public static string? TextProblem(string value) =>
        value.Contains('\0', StringComparison.Ordinal)
            ? "the value contains a NUL character (U+0000), which the database cannot store in text as it is."
            : HasInvalidUtf16(value)
                ? "the value contains an unpaired UTF-16 surrogate, which cannot be stored as UTF-8 without altering it."
                : null;

    /// <summary>
    /// Lone surrogates cannot be encoded as UTF-8: a strict encoder throws and a lenient one replaces them with U+FFFD,
    /// silently altering the text. The vectorised range search keeps the common case (no surrogates) cheap.
    /// </summary>
    public static bool HasInvalidUtf16(string value) =>
        value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 && HasLoneSurrogate(value);

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
