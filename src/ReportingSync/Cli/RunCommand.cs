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
        await using var app = builder.Build();
        app.Services.GetRequiredService<IStartupValidator>().Validate();

        var supervisor = app.Services.GetRequiredService<SyncSupervisor>();
        var schemas = await supervisor.PreflightAsync(cancellationToken).ConfigureAwait(false);
        await supervisor.InitializeAsync(schemas, cancellationToken).ConfigureAwait(false);

        if (once)
        {
            var outcomes = await supervisor.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            await OnceSummary.WriteAsync(output, outcomes).ConfigureAwait(false);
            return outcomes.All(o => o.Succeeded) ? ExitCodes.Success : ExitCodes.Failure;
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await supervisor.RunAsync(stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
