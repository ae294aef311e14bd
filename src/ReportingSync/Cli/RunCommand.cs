using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReportingSync.Configuration;
using ReportingSync.Engine;
using ReportingSync.Hints;
using ReportingSync.Hosting;

namespace ReportingSync.Cli;

/// <summary><c>reportingsync run [--config FILE] [--once] [--reseed a,b]</c>: seed what is not seeded, then stream.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CliOptions.Config();
        var once = new Option<bool>("--once")
        {
            Description = "One full pass (seed if needed, then one delta cycle per entity), then exit: 0 when every entity succeeded, 1 otherwise.",
        };

        var reseed = new Option<string[]>("--reseed")
        {
            Description = "Re-seed these entities (comma-separated or repeated) without downtime: a shadow table is filled while the live one streams, then swapped in.",
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new Command("run", "Replicate the configured entities: seed, then stream changes until stopped.")
        {
            config,
            once,
            reseed,
        };

        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var settings = new HostSettings { ConfigFile = parse.GetValue(config) };
            var reseedEntities = ReseedCommand.Names(parse.GetValue(reseed));
            return StartupReporter.GuardAsync(error, () => RunAsync(settings, parse.GetValue(once), reseedEntities, output, cancellationToken));
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        HostSettings settings, bool once, IReadOnlyCollection<string> reseed, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = WorkerHost.CreateBuilder(settings);
        if (!once)
        {
            builder.Services.AddSingleton(new SyncWorker.Start(reseed));
            builder.Services.AddSingleton<SyncWorker>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SyncWorker>());
        }

        await using var app = WorkerHost.Build(builder);
        SettingsValidation.ValidateAll(app.Services);
        var supervisor = app.Services.GetRequiredService<SyncSupervisor>();

        if (once)
        {
            // A one-off pass (a Kubernetes Job, cron) has no probes to answer: no HTTP side, no hosted worker.
            var schemas = await supervisor.PreflightAsync(cancellationToken).ConfigureAwait(false);
            await supervisor.InitializeAsync(schemas, reseed, cancellationToken).ConfigureAwait(false);
            if (reseed.Count > 0)
            {
                await supervisor.RequestReseedAsync(reseed, $"run --reseed ({supervisor.WorkerId})", cancellationToken).ConfigureAwait(false);
            }

            var outcomes = await supervisor.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            await OnceSummary.WriteAsync(output, outcomes).ConfigureAwait(false);
            return outcomes.All(o => o.Succeeded) ? ExitCodes.Success : ExitCodes.Failure;
        }

        // HTTP comes up with the hosted worker, which does the preflight in the background: /healthz answers at once (a
        // slow start must not look like a hung process to a liveness probe) while /readyz says 503 until the state
        // tables can be read.
        app.MapHintEndpoints();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        await using (cancellationToken.Register(lifetime.StopApplication))
        {
            try
            {
                await WorkerHost.StartHttpAsync(app, cancellationToken).ConfigureAwait(false);
                await app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (app.Services.GetRequiredService<SyncWorker>().Fault is { } fault)
        {
            // The start-up failures (preflight, unreachable database) become exit code 2 with their message.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(fault).Throw();
        }

        return ExitCodes.Success;
    }
}
