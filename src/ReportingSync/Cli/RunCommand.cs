using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Hosting;

namespace ReportingSync.Cli;

/// <summary><c>reportingsync run [--config FILE] [--once]</c>: seed what is not seeded, then stream.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CliOptions.Config();
        var once = new Option<bool>("--once")
        {
            Description = "One full pass (seed if needed, then one delta cycle per entity), then exit: 0 when every entity succeeded, 1 otherwise.",
        };

        var command = new Command("run", "Replicate the configured entities: seed, then stream changes until stopped.")
        {
            config,
            once,
        };

        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var settings = new HostSettings { ConfigFile = parse.GetValue(config) };
            return StartupReporter.GuardAsync(error, () => RunAsync(settings, parse.GetValue(once), output, cancellationToken));
        });
        return command;
    }

    internal static async Task<int> RunAsync(HostSettings settings, bool once, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = WorkerHost.CreateBuilder(settings);
        await using var app = WorkerHost.Build(builder);
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        var supervisor = app.Services.GetRequiredService<SyncSupervisor>();

        if (once)
        {
            // A one-off pass (a Kubernetes Job, cron) has no probes to answer: no HTTP side.
            var schemas = await supervisor.PreflightAsync(cancellationToken).ConfigureAwait(false);
            await supervisor.InitializeAsync(schemas, cancellationToken).ConfigureAwait(false);
            var outcomes = await supervisor.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            await OnceSummary.WriteAsync(output, outcomes).ConfigureAwait(false);
            return outcomes.All(o => o.Succeeded) ? ExitCodes.Success : ExitCodes.Failure;
        }

        // HTTP comes up before the preflight: /healthz answers at once (a slow start must not look like a hung
        // process to a liveness probe) while /readyz says 503 until the state tables can be read.
        await WorkerHost.StartHttpAsync(app, cancellationToken).ConfigureAwait(false);
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            var schemas = await supervisor.PreflightAsync(cancellationToken).ConfigureAwait(false);
            await supervisor.InitializeAsync(schemas, cancellationToken).ConfigureAwait(false);
            await supervisor.RunAsync(stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
