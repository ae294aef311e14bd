using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ReportingSync.Diagnostics;
using ReportingSync.Engine.Drift;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>
/// Proves one entity's replica equals the source, row by row, and optionally repairs it (issue 6).
/// <list type="number">
/// <item>Fast: <c>(id, versionnumber)</c> keys stream from the source in parallel key ranges into a temp table in the
/// target, and the database finds missing, extra and stale rows with set operations.</item>
/// <item>Re-check: every suspect is fetched again from both sides; one that agrees now was a change in flight. When a
/// worker is running, the remaining suspects are checked once more after it has finished two delta cycles, and only a
/// row the worker did not touch in between (same target version) and that still differs is reported.</item>
/// <item>Deep (optional): full rows of a sample of key ranges are compared column by column after normalisation.</item>
/// <item>Repair (optional): confirmed rows are re-fetched and committed through <see cref="IReportingTarget.CommitPageAsync"/>
/// with the stored cursor as the expected one, so a worker committing meanwhile only causes a retry.</item>
/// </list>
/// Every run is recorded in <c>ReconciliationRun</c> with its findings (capped) in <c>ReconciliationFinding</c>.
/// </summary>
public sealed partial class Reconciler
{
    /// <summary>Rows per source key page: the Dataverse maximum (the client asks for it with odata.maxpagesize).</summary>
    public const int KeyPageSize = 5_000;

    private readonly IChangeSource _schemas;
    private readonly IRowQuerySource _source;
    private readonly IReportingTarget _target;
    private readonly SyncOptions _sync;
    private readonly ReconciliationOptions _options;
    private readonly ReconciliationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public Reconciler(
        IChangeSource schemas, IRowQuerySource source, IReportingTarget target, SyncOptions sync, ReconciliationOptions options,
        ReconciliationMetrics metrics, TimeProvider time, ILogger<Reconciler> log)
    {
        _schemas = schemas;
        _source = source;
        _target = target;
        _sync = sync;
        _options = options;
        _metrics = metrics;
        _time = time;
        _log = log;
        _masker = ColumnMasker.For(sync.MaskKey);
    }

    private readonly ColumnMasker? _masker;

    /// <summary>Source rows as the target holds them: masked columns hashed, so they compare and repair like the sync writes them.</summary>
    private RowBatch AsStored(RowBatch rows)
    {
        _masker?.Apply(rows);
        return rows;
    }

    private DateTime UtcNow => _time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// How long to wait for the worker: <see cref="ReconciliationOptions.SettleTimeout"/>, or two of its slowest poll
    /// cycles when those take longer (a quiet entity polls as slowly as <see cref="SyncOptions.SlowestPoll"/>).
    /// </summary>
    private TimeSpan SettleWait => TimeSpan.FromTicks(Math.Max(_options.SettleTimeout.Ticks, (_sync.SlowestPoll * 2 + TimeSpan.FromSeconds(10)).Ticks));

    /// <summary>Reconciles one configured entity. Throws <see cref="ReconciliationException"/> for a bad request.</summary>
    public async Task<ReconciliationReport> RunAsync(
        string entityName, ReconcileRequest request, IProgress<ReconcileProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entity = _sync.Entities.FirstOrDefault(e => string.Equals(e.Name, entityName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ReconciliationException(
                $"Unknown entity '{entityName}': it is not one of the configured entities ({string.Join(", ", _sync.Entities.Select(e => e.Name))}).");
        var layout = await ResolveLayoutAsync(entity, cancellationToken).ConfigureAwait(false);
        using var trace = SyncActivity.Reconciliation(entity.Name, request.Describe());

        var started = _time.GetTimestamp();
        var run = new ReconciliationRun { EntityName = entity.Name, StartedUtc = UtcNow, Detail = request.Describe() };
        run = run with { Id = await _target.StartReconciliationRunAsync(run, cancellationToken).ConfigureAwait(false) };
        Log.Started(_log, entity.Name, request.Describe());
        try
        {
            var (finished, findings) = await ReconcileAsync(layout, run, request, progress, started, cancellationToken).ConfigureAwait(false);
            finished = finished with { FinishedUtc = UtcNow };
            var stored = findings.Take(_options.MaxFindings).ToList();
            await _target.FinishReconciliationRunAsync(finished, stored, cancellationToken).ConfigureAwait(false);
            foreach (var kind in Enum.GetValues<FindingKind>())
            {
                _metrics.Differences(entity.Name, kind, kind switch
                {
                    FindingKind.Missing => finished.Missing,
                    FindingKind.Extra => finished.Extra,
                    FindingKind.Stale => finished.Stale,
                    _ => finished.ColumnDiffs,
                });
            }

            Log.Finished(_log, entity.Name, finished.Status, finished.SourceRows, finished.TargetRows, finished.Missing, finished.Extra,
                finished.Stale, finished.ColumnDiffs, finished.Repaired, _time.GetElapsedTime(started).TotalSeconds);
            trace.With("rows", finished.SourceRows).With("reconcile.differences", finished.Missing + finished.Extra + finished.Stale + finished.ColumnDiffs)
                .With("reconcile.status", finished.Status.ToString()).Completed();
            return new ReconciliationReport(finished, stored.Select(f => f with { RunId = finished.Id, EntityName = entity.Name }).ToList());
        }
        catch (Exception ex)
        {
            Log.Failed(_log, entity.Name, ex.Message);
            var failed = run with { FinishedUtc = UtcNow, Status = ReconciliationStatus.Failed, Detail = $"{run.Detail}; {ex.GetType().Name}: {ex.Message}" };
            try
            {
                await _target.FinishReconciliationRunAsync(failed, [], CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception recordError) when (recordError is not OperationCanceledException)
            {
                // The target may be what failed; the original error is the one to report.
            }

            throw;
        }
    }

    /// <summary>
    /// The layout of the live table as it is now. A seed must have completed (comparing a half-seeded table reports
    /// nothing useful), and pending drift must have been applied by the worker (the columns would not match).
    /// </summary>
    private async Task<TableLayout> ResolveLayoutAsync(EntityOptions entity, CancellationToken cancellationToken)
    {
        var state = await _target.LoadStateAsync(entity.Name, cancellationToken).ConfigureAwait(false);
        if (state?.SeedCompletedUtc is null)
        {
            throw new ReconciliationException($"Entity '{entity.Name}' has not finished its first seed; there is nothing to reconcile yet.");
        }

        var schema = await _schemas.GetEntitySchemaAsync(entity.Name, cancellationToken).ConfigureAwait(false);
        var plan = await new DriftInspector(_schemas, _target)
            .PlanAsync(schema, entity, _sync.ToLayoutOptions(entity), _sync.DriftPolicyFor(entity), cancellationToken).ConfigureAwait(false)
            ?? throw new ReconciliationException($"Entity '{entity.Name}' has no table in the target.");
        if (plan.ChangesTable)
        {
            throw new ReconciliationException(
                $"Entity '{entity.Name}' has schema drift the worker has not applied yet ({string.Join("; ", plan.Steps)}); run the worker first.");
        }

        return plan.Layout;
    }

    private async Task<(ReconciliationRun Run, List<ReconciliationFinding> Findings)> ReconcileAsync(
        TableLayout layout, ReconciliationRun run, ReconcileRequest request, IProgress<ReconcileProgress>? progress, long started,
        CancellationToken cancellationToken)
    {
        KeyDifferences differences;
        await using (var stage = await _target.BeginKeyStageAsync(layout, cancellationToken).ConfigureAwait(false))
        {
            await StageSourceKeysAsync(layout, stage, progress, started, cancellationToken).ConfigureAwait(false);
            progress?.Report(new ReconcileProgress(layout.EntityName, "comparing", 0, _time.GetElapsedTime(started)));
            differences = await stage.CompareAsync(_options.MaxRecheck, cancellationToken).ConfigureAwait(false);
        }

        var suspects = differences.Suspects.ToList();
        var notes = new List<string> { request.Describe() };
        if (request.Deep)
        {
            var (compared, columnSuspects) = await CompareColumnsAsync(layout, request.SamplePercent, progress, started, cancellationToken).ConfigureAwait(false);
            notes.Add($"{compared} rows compared column by column");
            var known = suspects.Select(s => s.RecordId).ToHashSet();
            suspects.AddRange(columnSuspects.Where(s => known.Add(s.RecordId)).Take(_options.MaxRecheck));
        }

        var confirmed = suspects.Count == 0
            ? []
            : await ConfirmAsync(layout, suspects, request.Deep, progress, started, cancellationToken).ConfigureAwait(false);

        // Exact counts for what was re-checked; the database's counts for what lay beyond MaxRecheck.
        var notRechecked = differences.Total - differences.Suspects.Count;
        if (notRechecked > 0)
        {
            notes.Add($"{notRechecked} key differences beyond the first {differences.Suspects.Count} were counted but not re-checked");
        }

        long Beyond(FindingKind kind, long total) => Math.Max(0, total - differences.Suspects.Count(s => s.Kind == kind));
        var result = run with
        {
            SourceRows = differences.SourceRows,
            TargetRows = differences.TargetRows,
            Missing = confirmed.Count(f => f.Kind == FindingKind.Missing) + Beyond(FindingKind.Missing, differences.Missing),
            Extra = confirmed.Count(f => f.Kind == FindingKind.Extra) + Beyond(FindingKind.Extra, differences.Extra),
            Stale = confirmed.Count(f => f.Kind == FindingKind.Stale) + Beyond(FindingKind.Stale, differences.Stale),
            ColumnDiffs = confirmed.Count(f => f.Kind == FindingKind.ColumnDiff),
        };

        if (confirmed.Count > _options.MaxFindings)
        {
            notes.Add($"findings stored: the first {_options.MaxFindings} of {confirmed.Count}");
        }

        // The history is written in the live table's transactions, so it is consistent in any snapshot: a problem here
        // is real, never a worker caught mid-page.
        var historyConsistent = true;
        if (layout.Options.History)
        {
            var history = await _target.CheckHistoryAsync(layout, cancellationToken).ConfigureAwait(false);
            historyConsistent = history.Consistent;
            notes.Add(historyConsistent ? "history consistent" : "history: " + history);
        }

        if (!historyConsistent)
        {
            return (result with { Status = ReconciliationStatus.Differences, Detail = string.Join("; ", notes) }, confirmed);
        }

        if (result.Differences == 0)
        {
            return (result with { Status = ReconciliationStatus.Clean, Detail = string.Join("; ", notes) }, confirmed);
        }

        if (!request.Repair)
        {
            return (result with { Status = ReconciliationStatus.Differences, Detail = string.Join("; ", notes) }, confirmed);
        }

        progress?.Report(new ReconcileProgress(layout.EntityName, "repairing", confirmed.Count, _time.GetElapsedTime(started)));
        var repaired = await RepairAsync(layout, confirmed, cancellationToken).ConfigureAwait(false);
        var complete = repaired >= result.Differences;
        if (!complete)
        {
            notes.Add("not every difference could be repaired in this run; run it again");
        }

        return (result with
        {
            Repaired = repaired,
            Status = complete ? ReconciliationStatus.Repaired : ReconciliationStatus.Differences,
            Detail = string.Join("; ", notes),
        }, confirmed);
    }

    /// <summary>
    /// Reads <c>(id, versionnumber)</c> of every source row, one key range per partition in parallel (the client's
    /// limiter bounds the requests in flight), and feeds them to the stage from one writer (a stage is one session).
    /// </summary>
    private async Task StageSourceKeysAsync(
        TableLayout layout, IKeyStage stage, IProgress<ReconcileProgress>? progress, long started, CancellationToken cancellationToken)
    {
        var pages = Channel.CreateBounded<IReadOnlyList<RowKey>>(new BoundedChannelOptions(_options.Parallelism * 2) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readers = IdRange.SplitEvenly(_options.Parallelism).Select(range => Task.Run(async () =>
        {
            string? continuation = null;
            do
            {
                var page = await _source.ReadKeysPageAsync(layout, range, continuation, trackChanges: false, stop.Token).ConfigureAwait(false);
                if (page.Keys.Count > 0)
                {
                    await pages.Writer.WriteAsync(page.Keys, stop.Token).ConfigureAwait(false);
                }

                continuation = page.Next?.Url;
            }
            while (continuation is not null);
        }, stop.Token)).ToList();

        var produced = Task.WhenAll(readers).ContinueWith(
            t => pages.Writer.TryComplete(t.Exception?.InnerException ?? (t.IsCanceled ? new OperationCanceledException(stop.Token) : null)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        long rows = 0;
        var lastReport = _time.GetTimestamp();
        try
        {
            await foreach (var keys in pages.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await stage.AddAsync(keys, stop.Token).ConfigureAwait(false);
                rows += keys.Count;
                if (_time.GetElapsedTime(lastReport) >= TimeSpan.FromSeconds(2))
                {
                    lastReport = _time.GetTimestamp();
                    progress?.Report(new ReconcileProgress(layout.EntityName, "reading keys", rows, _time.GetElapsedTime(started)));
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await produced.ConfigureAwait(false);
            throw;
        }

        await produced.ConfigureAwait(false);
        progress?.Report(new ReconcileProgress(layout.EntityName, "keys read", rows, _time.GetElapsedTime(started)));
    }
}
