using System.Globalization;
using Microsoft.Data.Sqlite;
using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// CLR values of <see cref="ColumnStorageType"/> to and from SQLite storage classes. Conversions are explicit and
/// culture-invariant; notably Microsoft.Data.Sqlite would bind a Guid as a 16-byte BLOB and a DateTime in a
/// variable-width format, neither of which reads well or sorts as text, so both are converted here.
/// </summary>
internal static class SqliteValues
{
    /// <summary>
    /// Fixed-width ISO-8601 UTC with 7 fractional digits (.NET's full precision): every value has the same length and
    /// suffix, so text order is time order, and SQLite's date functions read it (they accept any number of fractional
    /// digits and a trailing Z).
    /// </summary>
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public const string DateFormat = "yyyy-MM-dd";

    public static SqliteType DbType(ColumnStorageType type) => type switch
    {
        ColumnStorageType.Int32 or ColumnStorageType.Int64 or ColumnStorageType.Boolean => SqliteType.Integer,
        ColumnStorageType.Double => SqliteType.Real,
        _ => SqliteType.Text,
    };

    /// <summary>The value as bound to SQLite, or null when the value is not of the column's CLR type.</summary>
    public static object? ToDb(object? value, ColumnStorageType type) => (type, value) switch
    {
        (_, null) => DBNull.Value,
        (ColumnStorageType.Guid, Guid g) => g.ToString("D"),
        (ColumnStorageType.String, string s) => s,
        (ColumnStorageType.Int32, int n) => (long)n,
        (ColumnStorageType.Int64, long n) => n,
        (ColumnStorageType.Decimal, decimal d) => d.ToString(CultureInfo.InvariantCulture),
        (ColumnStorageType.Double, double x) => x,
        (ColumnStorageType.Boolean, bool b) => b ? 1L : 0L,
        (ColumnStorageType.DateTime, DateTime t) => FormatDateTime(t),
        (ColumnStorageType.Date, DateOnly d) => d.ToString(DateFormat, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>
    /// Why SQLite cannot store a value of the column's CLR type exactly, or null. Text has no declared length, so nothing
    /// is ever cut to fit; but a NUL character cuts the text short when it is read back, a lone surrogate cannot be
    /// stored as UTF-8, and NaN is stored as NULL.
    /// </summary>
    public static string? Problem(TableColumn column, object value) => value switch
    {
        string s => ValueChecks.TextProblem(s),
        double.NaN => "the value is NaN, which SQLite stores as NULL.",
        _ => null,
    };

    public static string FormatDateTime(DateTime value) => UtcDateTime.AsUtc(value).ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static object? Read(System.Data.Common.DbDataReader reader, int ordinal, ColumnStorageType type)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        return type switch
        {
            ColumnStorageType.Guid => reader.GetFieldType(ordinal) == typeof(byte[])
                ? new Guid(reader.GetFieldValue<byte[]>(ordinal))
                : Guid.Parse(reader.GetString(ordinal)),
            ColumnStorageType.String => reader.GetString(ordinal),
            ColumnStorageType.Int32 => reader.GetInt32(ordinal),
            ColumnStorageType.Int64 => reader.GetInt64(ordinal),
            ColumnStorageType.Decimal => reader.GetFieldType(ordinal) == typeof(string)
                ? decimal.Parse(reader.GetString(ordinal), NumberStyles.Float, CultureInfo.InvariantCulture)
                : reader.GetDecimal(ordinal),
            ColumnStorageType.Double => reader.GetDouble(ordinal),
            ColumnStorageType.Boolean => reader.GetInt64(ordinal) != 0,
            ColumnStorageType.DateTime => ParseDateTime(reader.GetString(ordinal)),
            ColumnStorageType.Date => DateOnly.ParseExact(reader.GetString(ordinal), DateFormat, CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
    }

    /// <summary>Our own format exactly; anything else ISO-8601-ish (written by another tool) is read as UTC.</summary>
    public static DateTime ParseDateTime(string text)
    {
        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        return DateTime.TryParseExact(text, DateTimeFormat, CultureInfo.InvariantCulture, utc, out var exact)
            ? exact
            : DateTime.Parse(text, CultureInfo.InvariantCulture, utc);
    }
}
