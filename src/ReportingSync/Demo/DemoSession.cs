using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ReportingSync.Cli;
using ReportingSync.Configuration;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Engine;
using ReportingSync.Hosting;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Demo;

/// <summary>Runs one demo: simulator up, worker seeds and streams, view refreshes, summary at the end.</summary>
internal static class DemoSession
{
    /// <summary>The seven teacher-record tables the demo replicates, with their default size relative to contacts.</summary>
    internal static readonly (string Entity, double PerContact)[] Tables =
    [
        ("contact", 1.0), ("account", 0.01), ("dfeta_qtsregistration", 1.2), ("dfeta_induction", 1.1),
        ("dfeta_initialteachertraining", 1.5), ("dfeta_qualification", 1.8), ("dfeta_sanction", 0.1),
    ];

    public static async Task<int> RunAsync(DemoSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new SimulatorOptions
        {
            Entities = [.. Tables.Select(t => t.Entity), "systemuser", "transactioncurrency"],
            RowLatency = settings.RowLatency,
        };
        foreach (var (entity, perContact) in Tables)
        {
            options.RowCounts[entity] = Math.Max(1, (int)(settings.Contacts * perContact));
        }

        await DemoDatabase.StartCleanAsync(settings.Database, output, cancellationToken).ConfigureAwait(false);
        await using var simulator = await SimulatorHost.StartAsync(options, cancellationToken).ConfigureAwait(false);
        using var lag = new LagRecorder();
        var hostSettings = new HostSettings { Overrides = Overrides(simulator.BaseUrl, settings.Database) };
        await using var app = WorkerHost.Build(WorkerHost.CreateBuilder(hostSettings));
        SettingsValidation.ValidateAll(app.Services);
        // The status page, /status and /metrics are live during the demo too; engine logs are off here, so say where.
        var statusPage = await WorkerHost.StartHttpAsync(app, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"Status page: {statusPage}").ConfigureAwait(false);
        var supervisor = app.Services.GetRequiredService<SyncSupervisor>();
        var target = app.Services.GetRequiredService<IReportingTarget>();
        var view = DemoView.Create(output, settings, simulator.BaseUrl);

        var schemas = await supervisor.PreflightAsync(cancellationToken).ConfigureAwait(false);
        await supervisor.InitializeAsync(schemas, cancellationToken).ConfigureAwait(false);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var seedClock = Stopwatch.StartNew();
        var worker = Task.Run(() => supervisor.RunAsync(stopping.Token), CancellationToken.None);
        TimeSpan? seedTime = null;
        long seededRows = 0;
        DateTime? streamingSince = null;

        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var states = supervisor.States;
                if (seedTime is null && states.Count == Tables.Length && states.All(s => s.SeedCompletedUtc is not null))
                {
                    seedTime = seedClock.Elapsed;
                    seededRows = states.Sum(s => s.SeedRowsCopied);
                    streamingSince = DateTime.UtcNow;
                    if (settings.ChangesPerSecond > 0)
                    {
                        simulator.ChangeGenerator.Start(settings.ChangesPerSecond, Tables.Select(t => t.Entity).ToList());
                    }
                }

                var rows = await CountRowsAsync(target, stopping.Token).ConfigureAwait(false);
                view.Render(states, rows, simulator, lag.Summarize(), seedTime, seededRows);

                if (worker.IsCompleted || (settings.Duration is { } d && streamingSince is { } since && DateTime.UtcNow - since >= d))
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: stop and summarise below.
        }

        await simulator.ChangeGenerator.StopAsync().ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        await worker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // The generator may have made changes after the last poll: one more pass, so the summary compares like with like.
        if (seedTime is not null)
        {
            await supervisor.RunOnceAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var finalRows = await CountRowsAsync(target, CancellationToken.None).ConfigureAwait(false);
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        var failed = supervisor.States.Where(s => s.Status == EntityStatus.Failed).ToList();
        await view.SummarizeAsync(supervisor.States, finalRows, simulator, lag.Summarize(), seedTime, seededRows).ConfigureAwait(false);
        return failed.Count == 0 && seedTime is not null ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static Dictionary<string, string?> Overrides(string dataverseUrl, FileInfo database)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReportingSync:Dataverse:Url"] = dataverseUrl,
            ["ReportingSync:Dataverse:Auth:Mode"] = "None",
            ["ReportingSync:Target:Provider"] = "Sqlite",
            ["ReportingSync:Target:ConnectionString"] = $"Data Source={database.FullName}",
            ["ReportingSync:PollInterval"] = "00:00:01",
            // The live view is the demo's output; engine logs would scroll it away.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < Tables.Length; i++)
        {
            settings[$"ReportingSync:Entities:{i}"] = Tables[i].Entity;
        }

        return settings;
    }

    private static async Task<Dictionary<string, long>> CountRowsAsync(IReportingTarget target, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (entity, _) in Tables)
        {
            try
            {
                counts[entity] = await target.CountRowsAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not created yet.
            }
        }

        return counts;
    }
}
