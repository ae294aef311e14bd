using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.SqlClient;
using ReportingSync.Model;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// CLR values of <see cref="ColumnStorageType"/> to and from SQL Server, with explicit <see cref="SqlDbType"/>s.
/// Microsoft.Data.SqlClient 2.1 has no DateOnly support (it arrived in 6.0), so dates travel as DateTime and come back
/// as DateOnly; this works the same with every later version. DateTimes are UTC by convention and written as they are
/// (SqlClient ignores DateTimeKind), and read back as Utc.
/// </summary>
internal static class SqlServerValues
{
    /// <summary>datetime's range (learn.microsoft.com, "datetime (Transact-SQL)"): 1753-01-01 to 9999-12-31 23:59:59.997.</summary>
    public static readonly DateTime DateTimeMin = new(1753, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly DateTime DateTimeMax = new(9999, 12, 31, 23, 59, 59, 997, DateTimeKind.Utc);

    public static SqlDbType DbType(ColumnStorageType type) => type switch
    {
        ColumnStorageType.Guid => SqlDbType.UniqueIdentifier,
        ColumnStorageType.String => SqlDbType.NVarChar,
        ColumnStorageType.Int32 => SqlDbType.Int,
        ColumnStorageType.Int64 => SqlDbType.BigInt,
        ColumnStorageType.Decimal => SqlDbType.Decimal,
        ColumnStorageType.Double => SqlDbType.Float,
        ColumnStorageType.Boolean => SqlDbType.Bit,
        ColumnStorageType.DateTime => SqlDbType.DateTime2,
        ColumnStorageType.Date => SqlDbType.Date,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>A value as SqlClient takes it: DBNull for null, DateTime for DateOnly, everything else as is.</summary>
    public static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTime t => UtcDateTime.AsUtc(t),
        _ => value,
    };

    /// <summary>A typed parameter; strings get their column's size (or -1, nvarchar(max)) so plans are reused.</summary>
    public static SqlParameter Parameter(string name, ColumnStorageType type, object? value, int? maxLength = null)
    {
        var parameter = new SqlParameter(name, DbType(type)) { Value = ToDb(value) };
        if (type == ColumnStorageType.String)
        {
            parameter.Size = maxLength is > 0 and <= 4000 ? maxLength.Value : -1;
        }
        else if (type == ColumnStorageType.Decimal)
        {
            (parameter.Precision, parameter.Scale) = (38, (byte)(value is decimal d ? d.Scale : 0));
        }
        else if (type == ColumnStorageType.DateTime)
        {
            parameter.Scale = 7;
        }

        return parameter;
    }

    /// <summary>
    /// Why SQL Server cannot store a value of the column's CLR type exactly, or null: nvarchar(n) counts UTF-16 code
    /// units; decimal(38,p) holds 38 - p digits before the point; float holds no NaN or infinity; DES mode's datetime
    /// holds 1753-01-01 to 9999-12-31 23:59:59.997. datetime2, date, int, bigint, bit and uniqueidentifier hold every value
    /// .NET can give them, and nvarchar stores any UTF-16 text, NUL characters and lone surrogates included.
    /// </summary>
    public static string? Problem(TableColumn column, object value, SchemaCompatibility compatibility) => value switch
    {
        string s when column.MaxLength is { } max && ValueChecks.ExceedsUtf16(s, max) => ValueChecks.TooLongUtf16(s, max),
        decimal d when ValueChecks.ExceedsNumeric38(d, column.Precision ?? 2) =>
            ValueChecks.NumericOverflow($"decimal(38,{(column.Precision ?? 2).ToString(CultureInfo.InvariantCulture)})"),
        double x => ValueChecks.NotFinite(x),
        DateTime t when column.Type == ColumnStorageType.DateTime && compatibility == SchemaCompatibility.Des
                        && (UtcDateTime.AsUtc(t) < DateTimeMin || UtcDateTime.AsUtc(t) > DateTimeMax) =>
            ValueChecks.DateOutOfRange("datetime", "1753-01-01 to 9999-12-31 23:59:59.997"),
        _ => null,
    };
}
