using System.Text;
using ReportingSync.Model;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>Rows for target tests, with values of exactly the CLR types <see cref="ColumnStorageType"/> lists.</summary>
public static class TestRows
{
    /// <summary>Quotes, separators, brackets, SQL fragments, right-to-left, combining marks, emoji, control characters.</summary>
    public const string Awkward = "O'Brien \"quoted\" ; ] [x] -- '); DROP TABLE account; -- \\ % $1 @p0 \t\r\n שלום עולם مرحبا é (e\u0301) 😀👩‍💻 ‮reversed‬";

    /// <summary>
    /// The same rows as a columnar batch, the form decoded pages take, so a commit goes through the writers' typed fast
    /// paths (binary COPY, SQLite's pinned-text binds) instead of the rows-of-objects path.
    /// </summary>
    public static RowBatch Columnar(TableLayout layout, IEnumerable<object?[]> rows)
    {
        var batch = RowBatch.Columnar(layout, 0);
        var cells = batch.Columns!;
        foreach (var values in rows)
        {
            var row = cells.StartRow();
            for (var c = 0; c < values.Length; c++)
            {
                switch (values[c])
                {
                    case null: break;
                    case Guid g: cells.SetGuid(row, c, g); break;
                    case string s: cells.SetText(row, c, Encoding.UTF8.GetBytes(s)); break;
                    case int n: cells.SetInt32(row, c, n); break;
                    case long n: cells.SetInt64(row, c, n); break;
                    case decimal d: cells.SetDecimal(row, c, d); break;
                    case double x: cells.SetDouble(row, c, x); break;
                    case bool b: cells.SetBoolean(row, c, b); break;
                    case DateTime t: cells.SetDateTime(row, c, t); break;
                    case DateOnly d: cells.SetDate(row, c, d); break;
                    case var other: throw new ArgumentException($"No column storage for {other.GetType()}.", nameof(rows));
                }
            }

            cells.EndRow();
        }

        return batch;
    }

    /// <summary>Typical values derived from <paramref name="seed"/> in every column.</summary>
    public static object?[] Typical(TableLayout layout, Guid id, long version, int seed = 1)
    {
        var row = new object?[layout.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            var column = layout.Columns[i];
            row[i] = column.Type switch
            {
                ColumnStorageType.Guid => new Guid(seed, (short)i, 7, [1, 2, 3, 4, 5, 6, 7, 8]),
                ColumnStorageType.String => Fit($"{column.Name} {seed}", column.MaxLength),
                ColumnStorageType.Int32 => (seed * 10) + i,
                ColumnStorageType.Int64 => (seed * 1_000_000_000_000L) + i,
                ColumnStorageType.Decimal => Math.Round((seed * 1.2345678901m) + i, column.Precision ?? 2),
                ColumnStorageType.Double => (seed * 0.5) + i + 0.1,
                ColumnStorageType.Boolean => seed % 2 == 0,
                ColumnStorageType.DateTime => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(seed).AddMinutes(i).AddMilliseconds(123),
                ColumnStorageType.Date => new DateOnly(2024, 1, 1).AddDays(seed),
                _ => throw new ArgumentOutOfRangeException(nameof(layout)),
            };
        }

        row[layout.IdOrdinal] = id;
        row[layout.VersionOrdinal] = version;
        return row;
    }

    /// <summary>The largest (or smallest) value each column type holds: extreme dates, full-precision decimals, long text.</summary>
    public static object?[] Extreme(TableLayout layout, Guid id, long version, bool max)
    {
        var row = new object?[layout.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            var column = layout.Columns[i];
            row[i] = column.Type switch
            {
                ColumnStorageType.Guid => max ? Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff") : Guid.Empty,
                ColumnStorageType.String => max ? LongText(column.MaxLength ?? 200_000) : "",
                ColumnStorageType.Int32 => max ? int.MaxValue : int.MinValue,
                ColumnStorageType.Int64 => max ? long.MaxValue : long.MinValue,

                // 29 significant digits (all a .NET decimal has) at the column's scale.
                ColumnStorageType.Decimal => new decimal(-1, -1, -1, !max, (byte)(column.Precision ?? 2)),
                ColumnStorageType.Double => max ? double.MaxValue : double.Epsilon,
                ColumnStorageType.Boolean => max,
                ColumnStorageType.DateTime => max
                    ? new DateTime(9999, 12, 31, 23, 59, 59, 999, 999, DateTimeKind.Utc)
                    : new DateTime(1753, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                ColumnStorageType.Date => max ? new DateOnly(9999, 12, 31) : new DateOnly(1753, 1, 1),
                _ => throw new ArgumentOutOfRangeException(nameof(layout)),
            };
        }

        row[layout.IdOrdinal] = id;
        row[layout.VersionOrdinal] = version;
        return row;
    }

    /// <summary>Awkward text in every string column (cut to fit), nulls elsewhere.</summary>
    public static object?[] Texts(TableLayout layout, Guid id, long version)
    {
        var row = new object?[layout.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            var column = layout.Columns[i];
            row[i] = column.Type == ColumnStorageType.String ? Fit(Awkward, column.MaxLength) : null;
        }

        row[layout.IdOrdinal] = id;
        row[layout.VersionOrdinal] = version;
        return row;
    }

    /// <summary>Only Id and versionnumber set.</summary>
    public static object?[] Nulls(TableLayout layout, Guid id, long version)
    {
        var row = new object?[layout.Columns.Count];
        row[layout.IdOrdinal] = id;
        row[layout.VersionOrdinal] = version;
        return row;
    }

    /// <summary>A <see cref="TestSchemas.Small"/> row.</summary>
    public static object?[] Small(TableLayout layout, Guid id, long version, string? name, int? children = null)
    {
        var row = new object?[layout.Columns.Count];
        row[layout.IdOrdinal] = id;
        row[layout.VersionOrdinal] = version;
        row[1] = name;
        row[layout.IndexOf("numberofchildren")] = children;
        row[layout.IndexOf("modifiedon")] = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddSeconds(version);
        return row;
    }

    public static RowBatch Batch(TableLayout layout, IEnumerable<object?[]> rows)
    {
        var batch = new RowBatch(layout);
        foreach (var row in rows)
        {
            batch.Add(row);
        }

        return batch;
    }

    /// <summary>Ids in the order the targets return rows (uuid byte order, which is the order of the lowercase text).</summary>
    public static IEnumerable<object?[]> OrderById(IEnumerable<object?[]> rows, TableLayout layout) =>
        rows.OrderBy(r => ((Guid)r[layout.IdOrdinal]!).ToString("D"), StringComparer.Ordinal);

    /// <summary>Cuts to at most <paramref name="maxLength"/> characters, never splitting a surrogate pair.</summary>
    public static string Fit(string text, int? maxLength)
    {
        if (maxLength is not { } max)
        {
            return text;
        }

        var result = new StringBuilder();
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count++ == max)
            {
                break;
            }

            result.Append(rune.ToString());
        }

        return result.ToString();
    }

    /// <summary>Exactly <paramref name="characters"/> characters (code points) of mixed scripts and emoji.</summary>
    public static string LongText(int characters)
    {
        var pattern = "aé😀ש]';\"".EnumerateRunes().ToArray();
        var result = new StringBuilder(characters * 2);
        for (var i = 0; i < characters; i++)
        {
            result.Append(pattern[i % pattern.Length].ToString());
        }

        return result.ToString();
    }
}
