using ReportingSync.Target;
using ReportingSync.Model;

namespace ReportingSync.Engine.Reconciliation;

public sealed partial class Reconciler
{
    /// <summary>Suspects are fetched from the source in groups this size (the client splits further to keep URLs short).</summary>
    private const int FetchBatch = 1_000;

    /// <summary>
    /// Keeps only real differences. First re-check: fetch every suspect again from both sides; rows that agree now were
    /// changes in flight while the keys were read. If some still differ and a worker is running, wait until it has
    /// finished two delta cycles (the second one started after this re-check, so it has read every change made before
    /// it) and check again: a row is reported only if it still differs and the worker did not touch it in between.
    /// A corruption is stable; a change in flight is not.
    /// </summary>
    private async Task<List<ReconciliationFinding>> ConfirmAsync(
        TableLayout layout, IReadOnlyList<ReconciliationFinding> suspects, bool deep, IProgress<ReconcileProgress>? progress, long started,
        CancellationToken cancellationToken)
    {
        progress?.Report(new ReconcileProgress(layout.EntityName, "re-checking suspects", suspects.Count, _time.GetElapsedTime(started)));
        var ids = suspects.Select(s => s.RecordId).Distinct().ToList();
        var first = await ObserveAsync(layout, ids, deep, cancellationToken).ConfigureAwait(false);
        if (first.Count == 0)
        {
            return [];
        }

        var state = await _target.LoadStateAsync(layout.EntityName, cancellationToken).ConfigureAwait(false);
        if (state is null || !WorkerIsRunning(state))
        {
            // Nothing is catching up: what differs now is what analysts see, and it stays that way.
            return await NameQuarantinedAsync(layout, first.Values, cancellationToken).ConfigureAwait(false);
        }

        Log.Settling(_log, layout.EntityName, first.Count);
        progress?.Report(new ReconcileProgress(layout.EntityName, "waiting for the worker's next delta cycles", first.Count, _time.GetElapsedTime(started)));
        if (!await WaitForDeltaCyclesAsync(layout.EntityName, state, 2, cancellationToken).ConfigureAwait(false))
        {
            Log.SettleTimedOut(_log, layout.EntityName, SettleWait.TotalSeconds);
        }

        var second = await ObserveAsync(layout, first.Keys.ToList(), deep, cancellationToken).ConfigureAwait(false);
        return await NameQuarantinedAsync(
            layout, second.Values.Where(f => first.TryGetValue(f.RecordId, out var before) && before.TargetVersion == f.TargetVersion), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// A quarantined row (a value its column cannot hold) is a real difference, since analysts do not see it: it is
    /// counted like any other, named with the column that refused it, and a repair reads it again (a widened column may
    /// hold it now).
    /// </summary>
    private async Task<List<ReconciliationFinding>> NameQuarantinedAsync(
        TableLayout layout, IEnumerable<ReconciliationFinding> findings, CancellationToken cancellationToken)
    {
        var quarantined = (await _target.LoadQuarantineAsync(layout.EntityName, cancellationToken).ConfigureAwait(false))
            .ToDictionary(q => q.RecordId, q => q.ColumnName);
        return findings
            .Select(f => f.ColumnName is null && quarantined.TryGetValue(f.RecordId, out var column) ? f with { ColumnName = column } : f)
            .OrderBy(f => f.RecordId)
            .ToList();
    }

    /// <summary>Fetches the rows from both sides now and classifies each id; ids that agree are absent from the result.</summary>
    private async Task<Dictionary<Guid, ReconciliationFinding>> ObserveAsync(
        TableLayout layout, IReadOnlyList<Guid> ids, bool deep, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, ReconciliationFinding>();
        foreach (var batch in ids.Chunk(FetchBatch))
        {
            var source = ById(AsStored(await _source.FetchByIdsAsync(layout, batch, cancellationToken).ConfigureAwait(false)));
            var target = ById(await _target.ReadRowsByIdAsync(layout, batch, cancellationToken).ConfigureAwait(false));
            foreach (var id in batch)
            {
                if (Classify(layout, id, source.GetValueOrDefault(id), target.GetValueOrDefault(id), deep) is { } finding)
                {
                    result[id] = finding;
                }
            }
        }

        return result;
    }

    internal static ReconciliationFinding? Classify(TableLayout layout, Guid id, object?[]? source, object?[]? target, bool deep)
    {
        var sourceVersion = source?[layout.VersionOrdinal] as long?;
        var targetVersion = target?[layout.VersionOrdinal] as long?;
        return (source, target) switch
        {
            (null, null) => null,
            (not null, null) => new ReconciliationFinding(id, FindingKind.Missing, sourceVersion, null),
            (null, not null) => new ReconciliationFinding(id, FindingKind.Extra, null, targetVersion),
            _ when sourceVersion != targetVersion => new ReconciliationFinding(id, FindingKind.Stale, sourceVersion, targetVersion),
            _ when deep && ValueComparison.FirstDifference(layout, source, target) is { } column =>
                new ReconciliationFinding(id, FindingKind.ColumnDiff, sourceVersion, targetVersion, column),
            _ => null,
        };
    }

    private static Dictionary<Guid, object?[]> ById(RowBatch rows)
    {
        var map = new Dictionary<Guid, object?[]>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            map[rows.GetId(i)] = rows[i];
        }

        return map;
    }

    /// <summary>
    /// A worker is committing this entity: it holds an unexpired lease (renewed with every page, released when it
    /// stops), or, with leases off, it completed a delta cycle within the last few poll intervals.
    /// </summary>
    private bool WorkerIsRunning(EntityState state)
    {
        var now = UtcNow;
        return _sync.Leases
            ? state.LeaseOwner is not null && state.LeaseExpiresUtc > now
            : state.LastSyncUtc is { } last && now - last < _sync.SlowestPoll * 3 + TimeSpan.FromSeconds(10);
    }

    /// <summary>Waits until the stored LastSyncUtc has moved <paramref name="cycles"/> times; false on timeout.</summary>
    private async Task<bool> WaitForDeltaCyclesAsync(string entity, EntityState from, int cycles, CancellationToken cancellationToken)
    {
        var seen = from.LastSyncUtc;
        var moves = 0;
        var deadline = _time.GetTimestamp();
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(_sync.FastestPoll.TotalMilliseconds / 4, 100, 1_000));
        while (_time.GetElapsedTime(deadline) < SettleWait)
        {
            await Task.Delay(poll, _time, cancellationToken).ConfigureAwait(false);
            var state = await _target.LoadStateAsync(entity, cancellationToken).ConfigureAwait(false);
            if (state?.LastSyncUtc != seen)
            {
                seen = state?.LastSyncUtc;
                if (++moves >= cycles)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
