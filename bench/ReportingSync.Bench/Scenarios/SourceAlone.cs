using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Requests;

namespace ReportingSync.Bench.Scenarios;

/// <summary>
/// The source's own ceiling in this set-up: the worker's first request of its seed (same <c>$select</c>, same
/// <c>Prefer</c>) replayed with a bare <see cref="HttpClient"/>, following nextLinks and discarding the bodies. No
/// decoding, no database: how fast the simulator, sharing these cores, serves the pages. Ours cannot beat it.
/// </summary>
internal static partial class SourceAlone
{
    public static async Task<(long Rows, double Seconds)> RunAsync(SimulatorHost simulator, long expectedRows)
    {
        var first = simulator.RequestLog.Query(kind: RequestKind.Initial).FirstOrDefault()
            ?? throw new InvalidOperationException("The worker's seed left no initial request in the simulator's log.");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var url = simulator.BaseUrl + first.RawTarget;
        var clock = Stopwatch.StartNew();
        while (url is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Prefer", first.Prefer);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsByteArrayAsync();

            // The links come after the rows: look only at the tail.
            var tail = Encoding.UTF8.GetString(body.AsSpan(Math.Max(0, body.Length - 16_384)));
            var next = NextLink().Match(tail);
            url = next.Success ? Regex.Unescape(next.Groups[1].Value) : null;
        }

        clock.Stop();
        return (expectedRows, clock.Elapsed.TotalSeconds);
    }

    [GeneratedRegex("\"@odata\\.nextLink\":\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex NextLink();
}
