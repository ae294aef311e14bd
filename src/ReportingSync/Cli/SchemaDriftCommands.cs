using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportingSync.Configuration;
using ReportingSync.Engine;
using ReportingSync.Engine.Drift;
using ReportingSync.Hosting;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Cli;

/// <summary>
/// <c>reportingsync schema diff [--entity X]</c> prints the drift plan for each configured entity without changing
/// anything; <c>reportingsync schema apply [--entity X]</c> applies it: in-place DDL now, and a re-seed request (picked
/// up by the running worker) where existing rows must be re-read or the table rebuilt.
/// </summary>
internal static class SchemaDriftCommands
{
    public static Command Diff() => Create("diff", "Print what schema drift the configured entities have and what would be done, without changing anything.", apply: false);

    public static Command Apply() => Create("apply", "Apply the schema drift plan: widen/add/drop columns now; request a re-seed where rows must be re-read.", apply: true);

    private static Command Create(string name, string description, bool apply)
    {
        var config = CliOptions.Config();
        var entity = new Option<string?>("--entity") { Description = "Only this entity (default: every configured entity)." };
        var command = new Command(name, description) { config, entity };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new HostSettings { ConfigFile = parse.GetValue(config) };
            return StartupReporter.GuardAsync(
                parse.InvocationConfiguration.Error,
                () => RunAsync(settings, parse.GetValue(entity), apply, parse.InvocationConfiguration.Output, cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(HostSettings settings, string? only, bool apply, TextWriter output, CancellationToken cancellationToken)
    {
        await using var app = WorkerHost.CreateBuilder(settings).Build();
        SettingsValidation.ValidateAll(app.Services);
        var options = app.Services.GetRequiredService<IOptions<SyncOptions>>().Value;
        var target = app.Services.GetRequiredService<IReportingTarget>();
        var inspector = new DriftInspector(app.Services.GetRequiredService<IChangeSource>(), target);
        var time = app.Services.GetRequiredService<TimeProvider>();

        var entities = options.Entities.Where(e => only is null || string.Equals(e.Name, only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (entities.Count == 0)
        {
            throw new StartupException([$"--entity '{only}' is not one of the configured entities ({string.Join(", ", options.Entities.Select(e => e.Name))})."]);
        }

        await TargetReachability.EnsureAsync(target, cancellationToken).ConfigureAwait(false);

        var failed = false;
        foreach (var entity in entities)
        {
            var plan = await inspector.PlanAsync(entity, options.ToLayoutOptions(), options.DriftPolicyFor(entity), cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                await output.WriteLineAsync($"{entity.Name}: no table yet; the seed creates it from current metadata.").ConfigureAwait(false);
                continue;
            }

            if (plan.IsEmpty)
            {
                await output.WriteLineAsync($"{entity.Name}: no drift.").ConfigureAwait(false);
                continue;
            }

            await output.WriteLineAsync($"{entity.Name}:").ConfigureAwait(false);
            foreach (var step in plan.Steps)
            {
                await output.WriteLineAsync($"  - {step}").ConfigureAwait(false);
            }

            if (!apply)
            {
                continue;
            }

            try
            {
                var outcome = await DriftApplier.ApplyAsync(target, target, plan, time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
                if (outcome == DriftOutcome.NeedsReseed)
                {
                    await target.EnqueueCommandAsync(new SyncCommand { EntityName = entity.Name, Kind = "Reseed", RequestedUtc = time.GetUtcNow().UtcDateTime, RequestedBy = "schema apply", Detail = "schema drift" }, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"  applied; a re-seed of {entity.Name} was requested to fill existing rows (the running worker picks it up).").ConfigureAwait(false);
                }
                else
                {
                    await output.WriteLineAsync("  applied.").ConfigureAwait(false);
                }
            }
            catch (SchemaDriftException ex)
            {
                failed = true;
                await output.WriteLineAsync($"  not applied: {ex.Message}").ConfigureAwait(false);
            }
        }

        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }
}
