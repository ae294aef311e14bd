using System.Diagnostics;
using System.Text;
using Npgsql;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Sql.PostgreSql;

namespace ReportingSync.Bench.Scenarios;

/// <summary>
/// What the system we replace did: read pages of 500 rows, one after another, and write each page as batches of
/// 100 rows, one parameterised <c>INSERT … ON CONFLICT DO UPDATE</c> (the PostgreSQL MERGE) per batch, one
/// transaction per batch. Reading uses our own client (with 500-row pages), which is faster than the old SDK, so the
/// baseline is generous. It stops after <paramref name="timeLimit"/> and reports rows/s over what it wrote.
/// </summary>
internal static class LegacyBaseline
{
    private const int PageSize = 500;
    private const int BatchSize = 100;

    public static async Task<(long Rows, double Seconds, bool Complete)> RunAsync(
        Uri organisation, string connectionString, ContactShape shape, long totalRows, TimeSpan timeLimit)
    {
        await BenchContext.ExecuteAsync(connectionString,
            "DROP TABLE IF EXISTS public.bench_baseline; CREATE TABLE public.bench_baseline (LIKE public.contact INCLUDING ALL);");

        var settings = new Dictionary<string, string?> { ["ReportingSync:Dataverse:PageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using var worker = InProcessWorker.For(organisation, "PostgreSql", connectionString, [ContactShape.Entity], settings);
        var source = worker.Source;
        var layout = shape.Layout;

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var written = 0L;
        var clock = Stopwatch.StartNew();
        SyncCursor? cursor = null;
        while (clock.Elapsed < timeLimit)
        {
            var page = await source.ReadChangesAsync(layout, cursor, CancellationToken.None);
            foreach (var batch in page.Upserts.Rows.Chunk(BatchSize))
            {
                await WriteBatchAsync(connection, layout, batch);
                written += batch.Length;
            }

            if (page.CompletesRead)
            {
                break;
            }

            cursor = page.Next;
        }

        clock.Stop();
        await BenchContext.ExecuteAsync(connectionString, "DROP TABLE public.bench_baseline;");
        return (written, clock.Elapsed.TotalSeconds, written >= totalRows);
    }

    private static async Task WriteBatchAsync(NpgsqlConnection connection, TableLayout layout, object?[][] rows)
    {
        var now = DateTime.UtcNow;
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(Statement(layout, rows.Length), connection, transaction);
        foreach (var row in rows)
        {
            for (var c = 0; c < layout.Columns.Count; c++)
            {
                command.Parameters.Add(PostgreSqlValues.Parameter("", layout.Columns[c].Type, row[c]));
            }

            // Positional ($1, $2, ...): unnamed parameters, typed the way the real target types them.
            command.Parameters.Add(PostgreSqlValues.Parameter("", ColumnStorageType.DateTime, now));
            command.Parameters.Add(PostgreSqlValues.Parameter("", ColumnStorageType.DateTime, now));
        }

        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private static string Statement(TableLayout layout, int rows)
    {
        var columns = layout.Columns.Select(c => Q(c.Name)).Append(Q("SinkCreatedOn")).Append(Q("SinkModifiedOn")).ToList();
        var sql = new StringBuilder("INSERT INTO public.bench_baseline AS t (").AppendJoin(", ", columns).Append(") VALUES ");
        var p = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                sql.Append(c == 0 ? "$" : ", $").Append(++p);
            }

            sql.Append(')');
        }

        var id = Q(layout.Columns[layout.IdOrdinal].Name);
        var version = Q(layout.Columns[layout.VersionOrdinal].Name);
        sql.Append(" ON CONFLICT (").Append(id).Append(") DO UPDATE SET ")
            .AppendJoin(", ", columns.Where(c => c != id && c != Q("SinkCreatedOn")).Select(c => $"{c} = EXCLUDED.{c}"))
            .Append(" WHERE t.").Append(version).Append(" <= EXCLUDED.").Append(version);
        return sql.ToString();
    }

    private static string Q(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
