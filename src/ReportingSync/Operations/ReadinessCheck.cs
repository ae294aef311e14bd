using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Operations;

/// <summary>
/// Ready means: the target answers a trivial query, the source answers a cheap request, and the status monitor has
/// read the state rows recently. One check runs at a time and its answer is reused for
/// <see cref="OperationsOptions.ReadinessCacheTime"/>, so probes cannot spend the Dataverse request budget; and while the
/// worker's own requests are being answered (<see cref="SourceAnswerFreshness"/>) the source needs no request of its own:
/// a probe every 10 s would otherwise cost 30 of the 300 requests an idle worker may send in 5 minutes.
/// </summary>
internal sealed class ReadinessCheck(
    IReportingTarget target,
    IRowQuerySource source,
    ISourceTraffic traffic,
    StatusMonitor monitor,
    IOptions<SyncOptions> syncOptions,
    IOptions<OperationsOptions> options,
    TimeProvider time)
{
    /// <summary>How recent a successful answer to the worker's own requests proves the source reachable.</summary>
    internal static readonly TimeSpan SourceAnswerFreshness = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _single = new(1, 1);
    private ReadinessReport? _last;

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (_last is { } cached && time.GetUtcNow().UtcDateTime - cached.CheckedUtc < o.ReadinessCacheTime)
        {
            return cached;
        }

        await _single.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } fresh && time.GetUtcNow().UtcDateTime - fresh.CheckedUtc < o.ReadinessCacheTime)
            {
                return fresh;
            }

            var checks = new Dictionary<string, string>(StringComparer.Ordinal);
            var targetOk = await ProbeAsync("target", checks, ct => target.CheckAsync(ct), cancellationToken).ConfigureAwait(false);
            var entity = syncOptions.Value.Entities.FirstOrDefault()?.Name;
            var answeredRecently = traffic.LastAnswerUtc is { } answered && time.GetUtcNow() - answered < SourceAnswerFreshness;
            if (answeredRecently)
            {
                checks["source"] = "reachable";
            }

            var sourceOk = entity is null || answeredRecently
                || await ProbeAsync("source", checks, ct => source.GetTotalRecordCountAsync(entity, ct), cancellationToken).ConfigureAwait(false);
            if (targetOk)
            {
                // The target is back: read the state now rather than waiting for the monitor's next round.
                await monitor.RefreshAsync(cancellationToken).ConfigureAwait(false);
            }

            var stateOk = monitor.StateError is null && monitor.StateLoadedUtc is { } loaded
                && time.GetUtcNow().UtcDateTime - loaded < o.StatusRefresh * 3 + o.ReadinessTimeout;
            checks["state"] = stateOk ? "loaded" : monitor.StateError is { } error ? $"not loaded: {error}" : "not loaded yet";
            var report = new ReadinessReport(targetOk && sourceOk && stateOk, time.GetUtcNow().UtcDateTime, checks);
            _last = report;
            return report;
        }
        finally
        {
            _single.Release();
        }
    }

    private async Task<bool> ProbeAsync(string name, Dictionary<string, string> checks, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ReadinessTimeout);
        try
        {
            await probe(timeout.Token).ConfigureAwait(false);
            checks[name] = "reachable";
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            checks[name] = $"no answer within {options.Value.ReadinessTimeout.TotalSeconds:0.#} s";
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks[name] = $"unreachable: {ex.Message}";
            return false;
        }
    }
}
