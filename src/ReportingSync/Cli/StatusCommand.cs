using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportingSync.Configuration;
using ReportingSync.Engine;
using ReportingSync.Hosting;
using ReportingSync.Model;
using ReportingSync.Operations;
using ReportingSync.Target;

namespace ReportingSync.Cli;

/// <summary>
/// <c>reportingsync status [--json]</c>: per entity status, rows, staleness (time since the last completed read), lag
/// (source change to commit, for the last committed page), poll interval and last error, and each running replica's
/// Dataverse requests against its budget, from the state tables.
/// </summary>
internal static class StatusCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Command Create()
    {
        var config = CliOptions.Config();
        var json = CliOptions.Json();
        var command = new Command("status", "Show each entity's sync state as recorded in the target database.") { config, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new HostSettings { ConfigFile = parse.GetValue(config) };
            var output = parse.InvocationConfiguration.Output;
            return StartupReporter.GuardAsync(parse.InvocationConfiguration.Error,
                () => RunAsync(settings, parse.GetValue(json), output, cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(HostSettings settings, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        await using var app = WorkerHost.CreateBuilder(settings).Build();
        SettingsValidation.ValidateAll(app.Services);
        var target = app.Services.GetRequiredService<IReportingTarget>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var configured = app.Services.GetRequiredService<IOptions<SyncOptions>>().Value.Entities.Select(e => e.Name);
        await TargetReachability.EnsureAsync(target, cancellationToken).ConfigureAwait(false);

        await target.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var states = (await target.LoadStatesAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.EntityName, StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow().UtcDateTime;
        var reports = await target.LoadWorkerReportsAsync(cancellationToken).ConfigureAwait(false);

        var rows = new List<EntityStatusRow>();
        foreach (var name in configured.Concat(states.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            var state = states.GetValueOrDefault(name);
            long? count = null;
            if (state is not null && state.Status != EntityStatus.New)
            {
                count = await CountOrNullAsync(target, name, cancellationToken).ConfigureAwait(false);
            }

            rows.Add(EntityStatusRow.From(name, state, count, now, reports));
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(rows, JsonOptions)).ConfigureAwait(false);
        }
        else
        {
            await WriteTableAsync(output, rows).ConfigureAwait(false);
            await WriteWorkersAsync(output, reports.Where(r => r.IsFresh(now)).Select(WorkerBudgetView.Of).ToList()).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static async Task<long?> CountOrNullAsync(IReportingTarget target, string table, CancellationToken cancellationToken)
    {
        try
        {
            return await target.CountRowsAsync(table, cancellationToken).ConfigureAwait(false);
        }
        catch (TargetException)
        {
            return null;
        }
    }

    private static async Task WriteTableAsync(TextWriter output, IReadOnlyList<EntityStatusRow> rows)
    {
        var width = Math.Max(6, rows.Count == 0 ? 0 : rows.Max(r => r.Entity.Length));
        await output.WriteLineAsync($"{"entity".PadRight(width)}  {"status",-10} {"rows",10}  {"seed",-16} {"staleness",-10} {"lag",-8} {"poll",-6} last error").ConfigureAwait(false);
        foreach (var r in rows)
        {
            var seed = r.SeedRowsEstimated is > 0 && r.Status is "Seeding" or "Reseeding"
                ? $"{r.SeedRowsCopied}/{r.SeedRowsEstimated}"
                : r.Status is "Seeding" or "Reseeding" ? $"{r.SeedRowsCopied} rows" : "";
            await output.WriteLineAsync(
                $"{r.Entity.PadRight(width)}  {r.Status,-10} {r.Rows?.ToString() ?? "-",10}  {seed,-16} {Duration(r.StalenessSeconds),-10} {Duration(r.LagSeconds),-8} {Duration(r.PollIntervalSeconds),-6} {r.LastError}")
                .ConfigureAwait(false);
            foreach (var blocker in r.ReseedBlockedBy)
            {
                await output.WriteLineAsync($"{"".PadRight(width)}  re-seed waits for {blocker}").ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteWorkersAsync(TextWriter output, IReadOnlyList<WorkerBudgetView> workers)
    {
        if (workers.Count == 0)
        {
            await output.WriteLineAsync("No running worker has reported its Dataverse requests in the last minute.").ConfigureAwait(false);
            return;
        }

        foreach (var w in workers)
        {
            await output.WriteLineAsync(FormattableString.Invariant(
                $"worker {w.Worker}: {w.RequestsLastFiveMinutes} Dataverse requests in the last 5 minutes, {w.UsedPercent:0.0}% of its budget ({w.BudgetPerFiveMinutes:0} per 5 minutes)"))
                .ConfigureAwait(false);
        }
    }

    private static string Duration(double? seconds) => seconds switch
    {
        null => "-",
        < 10 => $"{seconds:0.#}s",
        < 120 => $"{seconds:F0}s",
        < 7200 => $"{seconds / 60:F0}m",
        < 172800 => $"{seconds / 3600:F0}h",
        _ => $"{seconds / 86400:F0}d",
    };
}
