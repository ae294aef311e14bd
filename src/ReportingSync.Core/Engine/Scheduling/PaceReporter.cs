using Microsoft.Extensions.Logging;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Engine.Scheduling;

/// <summary>
/// Writes this replica's <see cref="WorkerReport"/> (its poll intervals and its requests against the budget) to the
/// state schema every <see cref="Every"/>, so <c>status</c>, a separate process, and the other replicas' status pages
/// can show them. A report that cannot be written (the database is down for a moment) waits for the next round.
/// </summary>
internal sealed class PaceReporter(
    string workerId, Func<IReadOnlyDictionary<string, TimeSpan>> intervals, ISourceTraffic traffic, ISyncStateStore store, TimeProvider time, ILogger log)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(15);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReportAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(Every, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Writes the report now. Never throws but on cancellation.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var report = new WorkerReport(
            workerId,
            time.GetUtcNow().UtcDateTime,
            traffic.BudgetPerSecond,
            traffic.RequestsLastFiveMinutes,
            intervals().ToDictionary(i => i.Key, i => Math.Round(i.Value.TotalSeconds, 3), StringComparer.OrdinalIgnoreCase));
        try
        {
            await store.ReportWorkerAsync(report, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.PaceNotReported(log, ex.Message);
        }
    }
}
