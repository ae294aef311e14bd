using Npgsql;
using NpgsqlTypes;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Sql.PostgreSql;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>
/// The hand-written binary COPY encoding against Npgsql's own on a real server: the same values written both ways
/// must read back identical, as text too (numeric display scale, timestamp precision), edge values included.
/// </summary>
public sealed class PostgreSqlCopyEncoderTests
{
    private static readonly decimal[] Decimals =
    [
        0m, 0.0000m, -0.0001m, 92.3865m, 0.5m, 0.00005m, 120000m, -120000.10m, 1m, 9999m, 10000m, 10001m, 123456789.123456789m,
        0.0000000000000000000000000001m, decimal.MaxValue, decimal.MinValue, -7.9228162514264337593543950335m, 1.10m, 100.0100m,
    ];

    private static readonly DateTime[] Timestamps =
    [
        new(2000, 1, 1), new(1999, 12, 31, 23, 59, 59, 999), new DateTime(1999, 12, 31, 23, 59, 59).AddTicks(5), new DateTime(2026, 12, 3, 6, 1, 2).AddTicks(1234567),
        new(1753, 1, 1), new(9999, 12, 31, 23, 59, 59, 997), DateTime.MinValue, DateTime.MaxValue,
    ];

    private static readonly DateOnly[] Dates = [new(2000, 1, 1), new(1999, 12, 31), new(1, 1, 1), new(9999, 12, 31), DateOnly.MinValue, DateOnly.MaxValue, new(2026, 2, 28)];

    private static readonly string[] Texts = ["", "a", "Zoë O'Brien", "日本語のテキスト", "emoji 🙂 pair", new string('x', 100_000)];

    [Fact]
    public async Task Every_value_reads_back_as_Npgsql_would_have_written_it()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = await cluster.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        const string columns = "(n int, d numeric, t timestamp, dt date, u uuid, s text, f float8, b bool, i int4, l int8)";
        await using (var create = new NpgsqlCommand($"CREATE TABLE ours {columns}; CREATE TABLE theirs {columns};", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var rows = Rows().ToList();
        using (var encoder = new PostgreSqlCopyEncoder(initialBytes: 256))
        {
            await using var stream = await connection.BeginRawBinaryCopyAsync("COPY ours FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                encoder.StartRow(10);
                encoder.WriteInt32(row.N);
                Write(encoder, row.D, encoder.WriteNumeric);
                Write(encoder, row.T, encoder.WriteTimestamp);
                Write(encoder, row.Dt, encoder.WriteDate);
                Write(encoder, row.U, encoder.WriteGuid);
                if (row.S is null)
                {
                    encoder.WriteNull();
                }
                else if (row.N % 2 == 0)
                {
                    encoder.WriteText(row.S);
                }
                else
                {
                    encoder.WriteText(System.Text.Encoding.UTF8.GetBytes(row.S));
                }

                Write(encoder, row.F, encoder.WriteDouble);
                Write(encoder, row.B, encoder.WriteBoolean);
                Write(encoder, row.I, encoder.WriteInt32);
                Write(encoder, row.L, encoder.WriteInt64);
            }

            encoder.Finish();
            await stream.WriteAsync(encoder.Take());
        }

        await using (var importer = await connection.BeginBinaryImportAsync("COPY theirs FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(row.N, NpgsqlDbType.Integer);
                await importer.WriteAsync(row.D, NpgsqlDbType.Numeric);
                await importer.WriteAsync(row.T, NpgsqlDbType.Timestamp);
                await importer.WriteAsync(row.Dt, NpgsqlDbType.Date);
                await importer.WriteAsync(row.U, NpgsqlDbType.Uuid);
                await importer.WriteAsync(row.S, NpgsqlDbType.Text);
                await importer.WriteAsync(row.F, NpgsqlDbType.Double);
                await importer.WriteAsync(row.B, NpgsqlDbType.Boolean);
                await importer.WriteAsync(row.I, NpgsqlDbType.Integer);
                await importer.WriteAsync(row.L, NpgsqlDbType.Bigint);
            }

            await importer.CompleteAsync();
        }

        var ours = await ReadAsTextAsync(connection, "ours");
        var theirs = await ReadAsTextAsync(connection, "theirs");
        ours.Should().HaveCount(rows.Count);
        ours.Should().Equal(theirs);
        ours.Should().Contain(r => r.Contains("92.3865|", StringComparison.Ordinal), "the scale of a decimal is kept");
    }

    private static void Write<T>(PostgreSqlCopyEncoder encoder, T? value, Action<T> write)
        where T : struct
    {
        if (value is { } v)
        {
            write(v);
        }
        else
        {
            encoder.WriteNull();
        }
    }

    private static async Task<List<string>> ReadAsTextAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT concat_ws('|', n, d, t, dt, u, s, f, b, i, l, d IS NULL, s IS NULL) FROM {table} ORDER BY n", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static IEnumerable<Row> Rows()
    {
        var n = 0;
        var count = new[] { Decimals.Length, Timestamps.Length, Dates.Length, Texts.Length }.Max();
        for (var i = 0; i < count; i++)
        {
            yield return new Row(
                n++, Decimals[i % Decimals.Length], Timestamps[i % Timestamps.Length], Dates[i % Dates.Length], Guid.NewGuid(),
                Texts[i % Texts.Length], i * -1.5e300 / 7, i % 2 == 0, i == 0 ? int.MinValue : int.MaxValue - i, i == 1 ? long.MinValue : long.MaxValue - i);
        }

        yield return new Row(n, null, null, null, null, null, null, null, null, null);
        yield return new Row(n + 1, -0.0m, new DateTime(2024, 2, 29, 12, 0, 0), new DateOnly(2024, 2, 29), Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), "x", double.Epsilon, false, 0, 0);
    }

    private sealed record Row(int N, decimal? D, DateTime? T, DateOnly? Dt, Guid? U, string? S, double? F, bool? B, int? I, long? L);
}
