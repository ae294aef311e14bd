using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportingSync.Configuration;
using ReportingSync.Engine;
using ReportingSync.Hosting;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Cli;

/// <summary>
/// <c>reportingsync reseed --entity X [--wait]</c>: writes a re-seed command to the target's command table. A running
/// worker (any replica) picks it up within one poll interval, fills the shadow table while the live one keeps
/// streaming, and swaps them. <c>--wait</c> shows progress until the swap.
/// </summary>
internal static class ReseedCommand
{
    public static Command Create()
    {
        var config = CliOptions.Config();
        var entity = new Option<string[]>("--entity", "-e")
        {
            Description = "Entity to re-seed; repeat it or separate names with commas.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var wait = new Option<bool>("--wait") { Description = "Show progress and return when the re-seed has swapped in (exit 0) or failed (exit 1)." };
        var timeout = new Option<TimeSpan?>("--timeout") { Description = "With --wait, give up waiting after this long (e.g. 01:00:00); the re-seed itself goes on." };
        var command = new Command("reseed", "Ask the running worker to re-seed entities without downtime (shadow table, then atomic swap).")
        {
            config, entity, wait, timeout,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new HostSettings { ConfigFile = parse.GetValue(config) };
            var names = Names(parse.GetValue(entity));
            return StartupReporter.GuardAsync(parse.InvocationConfiguration.Error, () => RunAsync(
                settings, names, parse.GetValue(wait), parse.GetValue(timeout),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        });
        return command;
    }

    internal static IReadOnlyList<string> Names(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static async Task<int> RunAsync(
        HostSettings settings, IReadOnlyList<string> names, bool wait, TimeSpan? timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var app = WorkerHost.CreateBuilder(settings).Build();
        SettingsValidation.ValidateAll(app.Services);
        var options = app.Services.GetRequiredService<IOptions<SyncOptions>>().Value;
        var target = app.Services.GetRequiredService<IReportingTarget>();
        var time = app.Services.GetRequiredService<TimeProvider>();

        var configured = options.Entities.Select(e => e.Name).ToList();
        var unknown = names.Where(n => !configured.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0 || names.Count == 0)
        {
            throw new StartupException(names.Count == 0
                ? ["--entity needs at least one entity name."]
                : unknown.Select(n => $"--entity '{n}' is not one of the configured entities ({string.Join(", ", configured)}).").ToList());
        }

        await TargetReachability.EnsureAsync(target, cancellationToken).ConfigureAwait(false);
        await target.InitializeAsync(cancellationToken).ConfigureAwait(false);

        var requests = new List<(string Entity, long Id)>();
        foreach (var name in names.Select(n => configured.First(c => string.Equals(c, n, StringComparison.OrdinalIgnoreCase))))
        {
            var id = await target.EnqueueCommandAsync(
                new SyncCommand
                {
                    EntityName = name,
                    Kind = EntitySyncAgent.ReseedCommandKind,
                    RequestedUtc = time.GetUtcNow().UtcDateTime,
                    RequestedBy = $"reseed command on {Environment.MachineName}",
                },
                cancellationToken).ConfigureAwait(false);
            requests.Add((name, id));
            await output.WriteLineAsync($"Requested a re-seed of {name} (command {id}); a running worker picks it up within one poll interval.").ConfigureAwait(false);
        }

        if (!wait)
        {
            return ExitCodes.Success;
        }

        var progress = new ReseedProgressView(error, time);
        var deadline = timeout is { } t ? time.GetUtcNow() + t : (DateTimeOffset?)null;
        var failed = false;
        foreach (var (entity, id) in requests)
        {
            while (true)
            {
                var command = await target.GetCommandAsync(id, cancellationToken).ConfigureAwait(false);
                var state = await target.LoadStateAsync(entity, cancellationToken).ConfigureAwait(false);
                if (command is { Status: "Completed" or "Failed" })
                {
                    progress.Finish(entity, command);
                    await output.WriteLineAsync($"{entity}: {command.Status.ToLowerInvariant()}: {command.Detail}").ConfigureAwait(false);
                    failed |= command.Status == "Failed";
                    break;
                }

                progress.Show(entity, command, state);
                if (deadline is { } d && time.GetUtcNow() >= d)
                {
                    await error.WriteLineAsync($"Stopped waiting for {entity} after {timeout}; the re-seed goes on (command {id}).").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            }
        }

        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }
}
