using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Operations;

/// <summary>
/// Reads every entity's state row from the target every few seconds (all replicas' entities, not only this worker's),
/// so <c>/status</c>, the status page and readiness answer from memory and a busy prober never loads the database.
/// It also feeds the rows into <see cref="SyncMetrics.Observe"/>, which makes staleness and status gauges follow the
/// whole deployment rather than one replica, and reads every replica's <see cref="WorkerReport"/> for the poll intervals
/// of the entities other replicas read.
/// </summary>
internal sealed class StatusMonitor(
    IReportingTarget target,
    IRowQuerySource source,
    ISourceTraffic traffic,
    SyncMetrics metrics,
    SyncSupervisor supervisor,
    LagHistory lag,
    IOptions<SyncOptions> syncOptions,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<StatusMonitor> log) : BackgroundService
{
    private static readonly TimeSpan EstimateRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan EstimateTimeout = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, RowCount> _counts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Estimate> _estimates = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _configured = new(syncOptions.Value.Entities.Select(e => e.Name), StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<EntityState> _states = [];
    private IReadOnlyList<WorkerReport> _reports = [];
    private DateTime? _loadedUtc;
    private string? _error;

    /// <summary>When the state rows were last read successfully.</summary>
    public DateTime? StateLoadedUtc => _loadedUtc;

    /// <summary>The last read's failure, or null.</summary>
    public string? StateError => _error;

    /// <summary>Reads the state rows now (the loop calls it; tests and readiness may too). Never throws but on cancellation.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<EntityState> states;
        try
        {
            states = await target.LoadStatesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Before the first successful read the state tables may simply not exist yet (the worker starts HTTP before
            // it creates them), which is not worth a warning; losing a state that could be read is.
            if (_error is null && _loadedUtc is not null)
            {
                Log.StateUnavailable(log, ex.Message);
            }

            _error = ex.Message;
            return;
        }

        if (_error is not null && _loadedUtc is not null)
        {
            Log.StateAvailableAgain(log);
        }

        foreach (var state in states)
        {
            var estimate = await EstimateAsync(state, cancellationToken).ConfigureAwait(false);
            metrics.Observe(state, estimate);
            await CountAsync(state, cancellationToken).ConfigureAwait(false);
        }

        _states = states;
        _reports = await LoadReportsAsync(cancellationToken).ConfigureAwait(false);
        _error = null;
        _loadedUtc = time.GetUtcNow().UtcDateTime;
    }

    public StatusSnapshot Snapshot()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var states = _states.ToDictionary(s => s.EntityName, StringComparer.OrdinalIgnoreCase);
        var names = _configured.Concat(states.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
        var own = new WorkerBudgetView
        {
            Worker = supervisor.WorkerId, AtUtc = now, BudgetPerSecond = traffic.BudgetPerSecond, RequestsLastFiveMinutes = traffic.RequestsLastFiveMinutes,
        };
        var intervals = supervisor.PollIntervals;
        return new StatusSnapshot
        {
            Worker = supervisor.WorkerId,
            GeneratedUtc = now,
            StateLoadedUtc = _loadedUtc,
            StateError = _error,
            ReseedEnabled = options.Value.ReseedEnabled,
            RefreshMilliseconds = (int)options.Value.StatusRefresh.TotalMilliseconds,
            Budget = own,
            Workers = [own, .. _reports.Where(r => r.IsFresh(now) && r.WorkerId != own.Worker).Select(WorkerBudgetView.Of)],
            Entities = [.. names.Select(name => View(name, states.GetValueOrDefault(name), intervals, now))],
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.Value.StatusRefresh, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Every replica's report; none when they cannot be read (the state rows could, so this is only a detail lost).</summary>
    private async Task<IReadOnlyList<WorkerReport>> LoadReportsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await target.LoadWorkerReportsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    /// <summary>This worker's own interval when it reads the entity, else the interval the replica holding its lease reported.</summary>
    private double? PollInterval(string name, EntityState? state, IReadOnlyDictionary<string, TimeSpan> intervals, DateTime now) =>
        intervals.TryGetValue(name, out var own)
            ? Math.Round(own.TotalSeconds, 3)
            : PaceLookup.IntervalOf(name, state?.LeaseOwner, _reports, now).Seconds;

    private EntityStatusView View(string name, EntityState? state, IReadOnlyDictionary<string, TimeSpan> intervals, DateTime now)
    {
        if (state is null)
        {
            return new EntityStatusView { Entity = name, Status = "NotStarted", Configured = _configured.Contains(name) };
        }

        var seeded = state.SeedCompletedUtc is not null && state.Status is not (EntityStatus.Seeding or EntityStatus.New);
        var estimate = _estimates.TryGetValue(name, out var e) ? e.Rows : null;
        double? percent = seeded ? 100
            : estimate is > 0 ? Math.Min(99.9, 100.0 * state.SeedRowsCopied / estimate.Value)
            : null;
        return new EntityStatusView
        {
            Entity = name,
            Status = state.Status.ToString(),
            Configured = _configured.Contains(name),
            Rows = _counts.TryGetValue(name, out var count) ? count.Rows : null,
            SeedRowsCopied = state.SeedRowsCopied,
            SeedRowsEstimated = seeded ? null : estimate,
            SeedPercent = percent,
            SeedCompletedUtc = state.SeedCompletedUtc,
            LastSyncUtc = state.LastSyncUtc,
            StalenessSeconds = Math.Round(metrics.StalenessSeconds(name), 1),
            PollIntervalSeconds = PollInterval(name, state, intervals, now),
            // From the state row, so it is any replica's and falls to 0 once a read finds nothing new; the sparkline
            // below is this worker's own history.
            LagSeconds = state.LastLagSeconds is { } l ? Math.Round(l, 3) : null,
            LagHistory = lag.MaxPerBucket(name).Select(v => v is { } x ? Math.Round(x, 3) : (double?)null).ToList(),
            LastSourceChangeUtc = state.LastSourceChangeUtc,
            LastError = state.LastError,
            LastErrorUtc = state.LastErrorUtc,
            ReseedBlockedBy = state.ReseedBlocked?.Objects ?? [],
            ReseedBlockedUtc = state.ReseedBlocked?.SinceUtc,
            ConsecutiveFailures = state.ConsecutiveFailures,
            LeaseOwner = state.LeaseOwner,
            LeaseExpiresUtc = state.LeaseExpiresUtc,
        };
    }

    /// <summary>
    /// The source's row-count estimate, asked once per seed (keyed by its start time) and only while seeding: it costs a
    /// Dataverse request from the shared budget. A failed ask is retried after a minute, never on every refresh.
    /// </summary>
    private async Task<long?> EstimateAsync(EntityState state, CancellationToken cancellationToken)
    {
        if (state.Status is not (EntityStatus.New or EntityStatus.Seeding or EntityStatus.Reseeding)
            && !(state.Status == EntityStatus.Failed && state.SeedCompletedUtc is null))
        {
            return null;
        }

        var key = state.ReseedStartedUtc ?? state.SeedStartedUtc;
        var now = time.GetUtcNow().UtcDateTime;
        if (_estimates.TryGetValue(state.EntityName, out var known) && known.Key == key && (known.Rows is not null || now - known.AskedUtc < EstimateRetry))
        {
            return known.Rows;
        }

        long? rows = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(EstimateTimeout);
            rows = await source.GetTotalRecordCountAsync(state.EntityName, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.EstimateUnavailable(log, state.EntityName, ex.Message);
        }

        _estimates[state.EntityName] = new Estimate(key, rows, now);
        return rows;
    }

    private async Task CountAsync(EntityState state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (state.Status == EntityStatus.New)
        {
            return;
        }

        if (state.Status == EntityStatus.Seeding)
        {
            // While seeding into the live table the committed seed rows are the count, without a COUNT(*) per refresh.
            _counts[state.EntityName] = new RowCount(state.SeedRowsCopied, now, FromSeed: true);
            return;
        }

        var known = _counts.GetValueOrDefault(state.EntityName);
        if (known is { FromSeed: false } && now - known.CountedUtc < options.Value.RowCountRefresh)
        {
            return;
        }

        try
        {
            _counts[state.EntityName] = new RowCount(await target.CountRowsAsync(state.EntityName, cancellationToken).ConfigureAwait(false), now, FromSeed: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _counts[state.EntityName] = new RowCount(known?.Rows, now, FromSeed: false); // keep the last count, try again later
        }
    }

    private sealed record RowCount(long? Rows, DateTime CountedUtc, bool FromSeed);

    private sealed record Estimate(DateTime? Key, long? Rows, DateTime AskedUtc);
}
