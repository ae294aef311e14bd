using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReportingSync.Configuration;
using ReportingSync.Engine;
using ReportingSync.Engine.Reconciliation;
using ReportingSync.Hosting;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Cli;

/// <summary>
/// <c>reportingsync reconcile [--entity X | --all] [--repair] [--deep [--sample P]] [--json]</c>: compares the
/// replica with the source row by row, records the run, and exits 0 (clean, or every difference repaired), 1
/// (differences left) or 2 (could not run). Progress goes to stderr, results to stdout.
/// </summary>
internal static class ReconcileCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Command Create()
    {
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var entity = new Option<string?>("--entity", "-e") { Description = "The configured entity to reconcile." };
        var all = new Option<bool>("--all") { Description = "Reconcile every configured entity, one after the other." };
        var repair = new Option<bool>("--repair") { Description = "Re-fetch missing and stale rows and upsert them, delete extra rows (logged to DeleteLog)." };
        var deep = new Option<bool>("--deep") { Description = "Also compare every column of a sample of rows (all rows unless --sample)." };
        var sample = new Option<double?>("--sample") { Description = "With --deep: percent of rows to compare column by column (0 < P <= 100). Default 100." };
        var command = new Command("reconcile", "Compare the replica with Dataverse row by row; exit 0 clean, 1 differences, 2 error.")
        {
            config, entity, all, repair, deep, sample, json,
        };

        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new HostSettings { ConfigFile = parse.GetValue(config) };
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            var args = new Arguments(parse.GetValue(entity), parse.GetValue(all), parse.GetValue(repair), parse.GetValue(deep), parse.GetValue(sample), parse.GetValue(json));
            return StartupReporter.GuardAsync(error, () => RunAsync(settings, args, output, error, cancellationToken));
        });
        return command;
    }

    private sealed record Arguments(string? Entity, bool All, bool Repair, bool Deep, double? Sample, bool Json);

    private static async Task<int> RunAsync(HostSettings settings, Arguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var usage = Usage(args);
        if (usage.Count > 0)
        {
            throw new StartupException(usage);
        }

        await using var app = WorkerHost.CreateBuilder(settings).Build();
        SettingsValidation.ValidateAll(app.Services);
        var target = app.Services.GetRequiredService<IReportingTarget>();
        var configured = app.Services.GetRequiredService<IOptions<SyncOptions>>().Value.Entities.Select(e => e.Name).ToList();
        var entities = args.All ? configured : [args.Entity!];
        var unknown = entities.Where(e => !configured.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new StartupException(unknown.Select(e => $"Unknown entity '{e}': it is not one of the configured entities ({string.Join(", ", configured)}).").ToList());
        }

        try
        {
            await target.CheckAsync(cancellationToken).ConfigureAwait(false);
            await target.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TargetException ex)
        {
            throw new StartupException([ex.Message], ex);
        }

        var reconciler = app.Services.GetRequiredService<Reconciler>();
        var defaults = app.Services.GetRequiredService<IOptions<ReconciliationOptions>>().Value;
        var request = new ReconcileRequest(args.Deep, args.Sample ?? (args.Deep ? 100 : defaults.DeepSamplePercent), args.Repair);
        var reports = new List<ReconciliationReport>();
        var failures = new List<string>();
        foreach (var name in entities)
        {
            try
            {
                reports.Add(await reconciler.RunAsync(name, request, new StderrProgress(error), cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is ReconciliationException or TargetException or SourceException)
            {
                failures.Add($"{name}: {ex.Message}");
                await error.WriteLineAsync($"Cannot reconcile {name}: {ex.Message}").ConfigureAwait(false);
            }
        }

        await WriteAsync(output, reports, failures, args.Json).ConfigureAwait(false);
        return failures.Count > 0 ? ExitCodes.CannotStart
            : reports.Any(r => r.HasOpenDifferences) ? ExitCodes.Failure
            : ExitCodes.Success;
    }

    private static List<string> Usage(Arguments args)
    {
        var problems = new List<string>();
        if (args.All == (args.Entity is not null))
        {
            problems.Add("Give exactly one of --entity NAME or --all.");
        }

        if (args.Sample is { } p && !args.Deep)
        {
            problems.Add("--sample only applies with --deep.");
        }

        if (args.Sample is { } s && !(s > 0 && s <= 100))
        {
            problems.Add($"--sample {s.ToString(CultureInfo.InvariantCulture)} is not a percentage more than 0 and at most 100.");
        }

        return problems;
    }

    private static async Task WriteAsync(TextWriter output, List<ReconciliationReport> reports, List<string> failures, bool json)
    {
        if (json)
        {
            var body = new
            {
                runs = reports.Select(r => new { run = r.Run, findings = r.Findings }),
                errors = failures,
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(body, JsonOptions)).ConfigureAwait(false);
            return;
        }

        foreach (var (run, findings) in reports)
        {
            await output.WriteLineAsync(
                $"{run.EntityName}: {run.Status} (run {run.Id}) — source {run.SourceRows} rows, target {run.TargetRows}; " +
                $"missing {run.Missing}, extra {run.Extra}, stale {run.Stale}, column differences {run.ColumnDiffs}, repaired {run.Repaired}; " +
                $"{((run.FinishedUtc ?? run.StartedUtc) - run.StartedUtc).TotalSeconds:F1} s; {run.Detail}").ConfigureAwait(false);
            foreach (var f in findings.Take(20))
            {
                await output.WriteLineAsync($"  {f.Kind,-10} {f.RecordId:D}  source v{f.SourceVersion?.ToString(CultureInfo.InvariantCulture) ?? "-"}  target v{f.TargetVersion?.ToString(CultureInfo.InvariantCulture) ?? "-"}{(f.ColumnName is null ? "" : "  column " + f.ColumnName)}").ConfigureAwait(false);
            }

            if (findings.Count > 20)
            {
                await output.WriteLineAsync($"  … {findings.Count - 20} more in reportingsync.ReconciliationFinding (RunId {run.Id})").ConfigureAwait(false);
            }
        }
    }

    /// <summary>Progress lines on stderr (synchronous: IProgress callbacks must not be lost or reordered).</summary>
    private sealed class StderrProgress(TextWriter error) : IProgress<ReconcileProgress>
    {
        public void Report(ReconcileProgress value) =>
            error.WriteLine($"{value.EntityName}: {value.Phase} {value.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows, {value.Elapsed.TotalSeconds:F1} s ({value.RowsPerSecond:F0} rows/s)");
    }
}
