using Npgsql;
using NpgsqlTypes;
using ReportingSync.Model;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// CLR values of <see cref="ColumnStorageType"/> to and from PostgreSQL. Every value is written with an explicit
/// <see cref="NpgsqlDbType"/> so nothing depends on Npgsql's inference (DateTime in particular: since Npgsql 6 a UTC
/// DateTime is inferred as timestamptz, and writing one to <c>timestamp</c> throws; ours are UTC by convention, so they
/// are written as Unspecified to <c>timestamp</c> and read back as Utc).
/// </summary>
internal static class PostgreSqlValues
{
    public static NpgsqlDbType DbType(ColumnStorageType type) => type switch
    {
        ColumnStorageType.Guid => NpgsqlDbType.Uuid,
        ColumnStorageType.String => NpgsqlDbType.Text,
        ColumnStorageType.Int32 => NpgsqlDbType.Integer,
        ColumnStorageType.Int64 => NpgsqlDbType.Bigint,
        ColumnStorageType.Decimal => NpgsqlDbType.Numeric,
        ColumnStorageType.Double => NpgsqlDbType.Double,
        ColumnStorageType.Boolean => NpgsqlDbType.Boolean,
        ColumnStorageType.DateTime => NpgsqlDbType.Timestamp,
        ColumnStorageType.Date => NpgsqlDbType.Date,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>A UTC DateTime as <c>timestamp</c> wants it.</summary>
    public static DateTime ToTimestamp(DateTime value) => DateTime.SpecifyKind(UtcDateTime.AsUtc(value), DateTimeKind.Unspecified);

    public static NpgsqlParameter Parameter(string name, ColumnStorageType type, object? value) => new(name, DbType(type))
    {
        Value = value switch
        {
            null => DBNull.Value,
            DateTime d => ToTimestamp(d),
            _ => value,
        },
    };

    public static NpgsqlParameter Parameter<T>(string name, NpgsqlDbType type, T value) => new NpgsqlParameter<T>(name, type) { TypedValue = value };

    /// <summary>
    /// Why PostgreSQL cannot store a value of the column's CLR type exactly, or null: varchar(n) counts code points;
    /// text refuses NUL and cannot hold a lone surrogate as UTF-8; numeric(38,p) holds 38 - p digits before the point.
    /// timestamp, date and double precision hold every value .NET can give them.
    /// </summary>
    public static string? Problem(TableColumn column, object value) => value switch
    {
        string s when column.MaxLength is { } max && ValueChecks.ExceedsCodePoints(s, max) => ValueChecks.TooLong(s, max),
        string s => ValueChecks.TextProblem(s),
        decimal d when ValueChecks.ExceedsNumeric38(d, column.Precision ?? 2) =>
            ValueChecks.NumericOverflow($"numeric(38,{(column.Precision ?? 2).ToString(System.Globalization.CultureInfo.InvariantCulture)})"),
        _ => null,
    };
}
