using Microsoft.Extensions.Hosting;
using ReportingSync.Engine;

namespace ReportingSync.Hosting;

/// <summary>
/// The worker loop as a hosted service: preflight, state and entity tables, the re-seeds asked for on the command line,
/// then every entity's loop until the host stops (SIGTERM finishes the page in hand). A fault stops the host and is kept
/// in <see cref="Fault"/>, which <c>run</c> turns into its exit code and message; cancellation on shutdown is normal.
/// </summary>
internal sealed class SyncWorker(SyncSupervisor supervisor, IHostApplicationLifetime lifetime, SyncWorker.Start start) : BackgroundService
{
    /// <summary>What <c>run</c> asked for at start.</summary>
    /// <param name="Reseed">Entities to re-seed (through the command table, so whichever replica holds one does it).</param>
    internal sealed record Start(IReadOnlyCollection<string> Reseed);

    /// <summary>Why the worker stopped the host, or null.</summary>
    public Exception? Fault { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var schemas = await supervisor.PreflightAsync(stoppingToken).ConfigureAwait(false);
            await supervisor.InitializeAsync(schemas, start.Reseed, stoppingToken).ConfigureAwait(false);
            if (start.Reseed.Count > 0)
            {
                await supervisor.RequestReseedAsync(start.Reseed, $"run --reseed ({supervisor.WorkerId})", stoppingToken).ConfigureAwait(false);
            }

            await supervisor.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the loops have drained.
        }
        catch (Exception ex)
        {
            Fault = ex;
            lifetime.StopApplication();
        }
    }
}
