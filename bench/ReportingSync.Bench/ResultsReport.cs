using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReportingSync.Bench;

/// <summary>Prints the results table and the target summary, and writes them as JSON.</summary>
internal static class ResultsReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file for people: keep -> and ' readable
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Print(TextWriter output, IReadOnlyList<BenchResult> results, IReadOnlyList<TargetCheck> targets)
    {
        string[] header = ["scenario", "variant", "rows", "seconds", "rows/s", "ratio", "peak RSS MB", "CPU s", "requests", "load"];
        var lines = results.Select(r => new[]
        {
            r.Scenario, r.Variant, F(r.Rows), F(r.Seconds, "0.0"), F(r.RowsPerSecond, "0"), F(r.Ratio, "0.00"), F(r.PeakRssMb, "0"),
            F(r.CpuSeconds, "0.0"), F(r.Requests), r.LoadAverage.ToString("0.00", CultureInfo.InvariantCulture),
        }).ToList();
        var widths = header.Select((h, i) => lines.Select(l => l[i].Length).Prepend(h.Length).Max()).ToArray();
        output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var (line, result) in lines.Zip(results))
        {
            output.WriteLine(string.Join("  ", line.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
            if (!string.IsNullOrEmpty(result.Notes))
            {
                output.WriteLine("    " + result.Notes);
            }
        }

        output.WriteLine();
        foreach (var target in targets)
        {
            var measured = target.Measured is { } m ? m.ToString("0.###", CultureInfo.InvariantCulture) + target.Unit : "-";
            output.WriteLine($"{target.Verdict}: {target.Target} (measured {measured}, target {(target.AtLeast ? ">=" : "<=")} {target.Threshold.ToString(CultureInfo.InvariantCulture)}{target.Unit})");
        }
    }

    public static async Task WriteJsonAsync(string path, BenchRun run)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(run, Json) + "\n");
    }

    /// <summary>
    /// A partial run (<c>--only</c>) into a file that already holds results: the lines and targets of the scenarios not run
    /// this time stay as they were (their scenario number leads their name), each line saying from which
    /// run they come (<see cref="BenchResult.RunUtc"/>). So <c>latest.json</c> keeps every scenario's last full-scale figures.
    /// </summary>
    public static async Task<BenchRun> MergeAsync(string path, BenchRun run, IReadOnlySet<int> ran)
    {
        if (!File.Exists(path))
        {
            return run;
        }

        BenchRun? earlier;
        try
        {
            earlier = JsonSerializer.Deserialize<BenchRun>(await File.ReadAllTextAsync(path), Json);
        }
        catch (JsonException)
        {
            return run;
        }

        if (earlier is null || earlier.Quick != run.Quick)
        {
            return run;
        }

        bool Kept(string name) => !ran.Contains(ScenarioOf(name));
        return run with
        {
            Results = [.. earlier.Results.Where(r => Kept(r.Scenario)).Select(r => r with { RunUtc = r.RunUtc ?? earlier.StartedUtc }), .. run.Results],
            Targets = [.. earlier.Targets.Where(t => Kept(t.Target)), .. run.Targets],
        };
    }

    private static int ScenarioOf(string name) =>
        int.TryParse(name.AsSpan(0, Math.Max(0, name.IndexOf(' '))), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static string F(long? value) => value?.ToString("#,0", CultureInfo.InvariantCulture) ?? "-";

    private static string F(double? value, string format) => value is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}

/// <summary>The whole JSON document: when, where, at what scale, and every line and target.</summary>
internal sealed record BenchRun(
    DateTimeOffset StartedUtc,
    double Minutes,
    bool Quick,
    string Machine,
    IReadOnlyList<BenchResult> Results,
    IReadOnlyList<TargetSummary> Targets);

internal sealed record TargetSummary(string Target, double? Measured, string Unit, string Comparison, double Threshold, string Verdict)
{
    public static TargetSummary Of(TargetCheck check) =>
        new(check.Target, check.Measured, check.Unit, check.AtLeast ? ">=" : "<=", check.Threshold, check.Verdict);
}
