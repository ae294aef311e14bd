using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Engine.Reconciliation;
using ReportingSync.Target;

namespace ReportingSync.Hosting;

/// <summary>
/// Reconciles every configured entity on a schedule inside the worker (<c>ReportingSync:Reconciliation</c>): an entity
/// is due when its last run (any outcome, by this or another replica, or the CLI) started more than
/// <see cref="ReconciliationOptions.Interval"/> ago, or, never reconciled, once the interval has passed since this
/// worker started; runs start only inside the optional off-peak window. Entities go one at a time, so
/// reconciliation never takes more than one share of the source's request budget.
/// </summary>
internal sealed class ScheduledReconciliation(
    Reconciler reconciler, IReportingTarget target, IOptions<SyncOptions> sync, IOptions<ReconciliationOptions> options, TimeProvider time,
    ILogger<ScheduledReconciliation> log) : BackgroundService
{
    /// <summary>How often the schedule is looked at; a run starts at most this late.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);

    /// <summary>Registers the options (validated at start-up), the reconciler, its metrics and this service.</summary>
    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconciliationOptions>().Bind(configuration.GetSection(ReconciliationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReconciliationOptions>, ReconciliationOptionsValidator>();
        services.AddSingleton<ReconciliationMetrics>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Reconciler>(
            sp, sp.GetRequiredService<IOptions<SyncOptions>>().Value, sp.GetRequiredService<IOptions<ReconciliationOptions>>().Value));
        services.AddHostedService<ScheduledReconciliation>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var startedUtc = time.GetUtcNow().UtcDateTime;
        var request = new ReconcileRequest(settings.Deep, settings.DeepSamplePercent, settings.Repair);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Tick, time, stoppingToken).ConfigureAwait(false);
                var now = time.GetUtcNow().UtcDateTime;
                if (!settings.InWindow(now))
                {
                    continue;
                }

                foreach (var entity in sync.Value.Entities)
                {
                    var last = (await target.LoadReconciliationRunsAsync(entity.Name, 1, stoppingToken).ConfigureAwait(false)).FirstOrDefault();
                    if ((last?.StartedUtc ?? startedUtc) + settings.Interval > now)
                    {
                        continue;
                    }

                    Engine.Reconciliation.Log.Due(log, entity.Name);
                    await reconciler.RunAsync(entity.Name, request, progress: null, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Recorded as a Failed run (when the target could take it) and logged; the schedule goes on, and the
                // replication itself is never stopped by a reconciliation.
                Engine.Reconciliation.Log.Failed(log, "scheduled run", ex.Message);
            }
        }
    }
}
