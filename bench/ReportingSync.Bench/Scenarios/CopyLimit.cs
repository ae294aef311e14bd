using System.Diagnostics;
using Npgsql;

namespace ReportingSync.Bench.Scenarios;

/// <summary>
/// The target's physical limit: the rows the worker just seeded, exported once to a file with binary <c>COPY … TO</c>,
/// then streamed back from that file with <c>COPY … FROM STDIN (FORMAT BINARY)</c> into an empty table of the same
/// shape (<c>LIKE contact INCLUDING ALL</c>: same columns, primary key, defaults), over the same loopback connection
/// kind the worker uses. Only the import is timed.
/// </summary>
internal static class CopyLimit
{
    public static async Task<(long Rows, double Seconds)> RunAsync(BenchContext context, string connectionString)
    {
        var file = Path.Combine(context.Scratch, "contact.copy");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var source = await connection.BeginRawBinaryCopyAsync("COPY public.contact TO STDOUT (FORMAT BINARY)");
            await using var sink = File.Create(file);
            await source.CopyToAsync(sink);
        }

        await BenchContext.ExecuteAsync(connectionString, "DROP TABLE IF EXISTS public.bench_copy; CREATE TABLE public.bench_copy (LIKE public.contact INCLUDING ALL);");
        var clock = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var target = await connection.BeginRawBinaryCopyAsync("COPY public.bench_copy FROM STDIN (FORMAT BINARY)");
            await using var input = File.OpenRead(file);
            await input.CopyToAsync(target);
        }

        clock.Stop();
        var rows = await BenchContext.ScalarAsync<long>(connectionString, "SELECT count(*) FROM public.bench_copy");
        File.Delete(file);
        await BenchContext.ExecuteAsync(connectionString, "DROP TABLE public.bench_copy;");
        return (rows, clock.Elapsed.TotalSeconds);
    }
}
