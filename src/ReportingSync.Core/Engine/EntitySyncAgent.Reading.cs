using ReportingSync.Diagnostics;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Engine;

internal sealed partial class EntitySyncAgent
{
    private async Task<CycleResult> SeedAsync(CancellationToken cancellationToken)
    {
        if (EffectiveStatus(_state) == EntityStatus.New)
        {
            var estimate = await EstimateRowsAsync(cancellationToken).ConfigureAwait(false);
            await ChangeStateAsync(
                _state with
                {
                    Status = EntityStatus.Seeding,
                    ResumeStatus = null,
                    SeedStartedUtc = UtcNow,
                    SeedRowsCopied = 0,
                    SeedRowsEstimated = estimate,
                    SeedCompletedUtc = null,
                    ParallelSeed = ShouldPartition(estimate) ? ParallelSeedProgress.NotStarted : null,
                    LayoutFingerprint = _layout!.Fingerprint,
                    UpdatedUtc = UtcNow,
                },
                History("SeedStarted"),
                null,
                cancellationToken).ConfigureAwait(false);
            Log.SeedStarted(_log, EntityName);
        }
        else if (_state.LayoutFingerprint is { } seededWith && seededWith != _layout!.Fingerprint && _state.Cursor is not { Kind: CursorKind.Partitioned })
        {
            // The columns changed while the seed ran (drift added or changed one): rows copied so far lack them, and the
            // saved links carry the old $select, so resuming would never fill them. The seed starts over, table included.
            return await StartSeedOverAsync("the table's columns changed during the seed", cancellationToken).ConfigureAwait(false);
        }
        else if (_state.ParallelSeed is null)
        {
            Log.SeedResumed(_log, EntityName, _state.SeedRowsCopied);
        }

        if (_state.Cursor is { Kind: CursorKind.Partitioned })
        {
            // Progress an earlier version kept as JSON in the cursor: start that parallel seed over, table included.
            return await RestartPartitionedSeedAsync("the parallel seed's progress was written by an earlier version", cancellationToken).ConfigureAwait(false);
        }

        if (_state.ParallelSeed is not null)
        {
            return await PartitionedSeedAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await ReadToDeltaLinkAsync(ReadLane.Seed, _state.Cursor, null, cancellationToken).ConfigureAwait(false);
        }
        catch (CursorRejectedException rejected)
        {
            // A paging link can go stale (server restarts, cookie format changes).
            return await StartSeedOverAsync(rejected.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The seed reads from the start again, and so does the table: a row copied before and deleted since would otherwise
    /// stay. The table is emptied in the transaction of the first page read again (see PageCommit.ClearTable).
    /// </summary>
    private async Task<CycleResult> StartSeedOverAsync(string reason, CancellationToken cancellationToken)
    {
        if (_state.ParallelSeed is not null)
        {
            return await RestartPartitionedSeedAsync(reason, cancellationToken).ConfigureAwait(false);
        }

        Log.SeedRestarted(_log, EntityName, reason);
        return await ReadToDeltaLinkAsync(ReadLane.Seed, null, null, cancellationToken, startOver: History("SeedRestarted", reason)).ConfigureAwait(false);
    }

    private Task<CycleResult> ReadDeltaAsync(CancellationToken cancellationToken)
    {
        var cursor = _state.Cursor
            ?? throw new InvalidOperationException($"Entity '{EntityName}' is {_state.Status} but has no cursor.");
        return ReadToDeltaLinkAsync(ReadLane.Stream, cursor, null, cancellationToken);
    }

    /// <summary>
    /// Reads and commits pages until the source hands out a delta link (or, with <paramref name="slice"/>, until that
    /// much time has passed after a commit). The next page downloads while the current one commits; its cursor only
    /// advances when the commit has succeeded, so a failure anywhere loses nothing. A seed into a target that asks for
    /// it commits consecutive pages together (<see cref="SeedGathering"/>), each commit overlapping the next reads. With <paramref name="startOver"/> the
    /// first commit also empties the lane's table, in the same transaction, and records that history entry.
    /// </summary>
    private async Task<CycleResult> ReadToDeltaLinkAsync(
        ReadLane lane, SyncCursor? from, TimeSpan? slice, CancellationToken cancellationToken, SyncHistoryEntry? startOver = null)
    {
        var layout = lane == ReadLane.Shadow ? _freshLayout! : _layout!;
        var seeding = lane != ReadLane.Stream;
        var result = new CycleResult(seeding, 0, 0, 0);
        var started = _time.GetTimestamp();

        // Only a delta read lists deletes; a read resumed from a next link has lost its earlier pages' upserts.
        var restored = lane == ReadLane.Stream ? new RestoredRows(layout, _queries, resumedMidRead: from is { Kind: CursorKind.NextLink }) : null;
        using var readAhead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<ChangePage>? pending = _source.ReadChangesAsync(layout, from, readAhead.Token);
        var gathering = SeedGathering.For(_pages, seeding, _time);
        ChangePage? held = null;
        Task? committing = null;
        try
        {
            while (pending is not null)
            {
                var page = await pending.ConfigureAwait(false);
                var sliceOver = slice is { } limit && _time.GetElapsedTime(started) >= limit;
                pending = page.CompletesRead || sliceOver ? null : _source.ReadChangesAsync(layout, page.Next, readAhead.Token);
                if (restored is not null)
                {
                    page = await restored.ApplyAsync(page, cancellationToken).ConfigureAwait(false);
                }

                if (held is not null && !SeedGathering.CanGather(held, page))
                {
                    await CommitInTurnAsync(held).ConfigureAwait(false);
                    held = null;
                }

                held = held is null ? page : gathering!.Gather(held, page);
                if (pending is null || gathering?.Continues(held) != true)
                {
                    await CommitInTurnAsync(held).ConfigureAwait(false);
                    held = null;
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            if (committing is not null)
            {
                await committing.ConfigureAwait(false);
                committing = null;
            }

            if (restored is { Kept: > 0 })
            {
                Log.RestoredRowsKept(_log, EntityName, restored.Kept);
            }

            return result;

            // Without gathering, each page commits before the loop goes on (with the next page already downloading).
            // A gathering seed commits on the thread pool while the loop reads and gathers the next pages; the commit
            // before must have stored its state first, as the next one starts from it.
            async Task CommitInTurnAsync(ChangePage page)
            {
                if (gathering is null)
                {
                    await CommitHeldAsync(page).ConfigureAwait(false);
                    return;
                }

                if (committing is not null)
                {
                    await committing.ConfigureAwait(false);
                }

                committing = Task.Run(() => CommitHeldAsync(page), CancellationToken.None);
            }

            async Task CommitHeldAsync(ChangePage page)
            {
                await CommitAsync(page, lane, startOver).ConfigureAwait(false);
                startOver = null;
                result += new CycleResult(seeding, page.Pages, page.Upserts.Count, page.Deletes.Count);
                page.Upserts.Dispose(); // committed: its column buffers serve the next page
            }
        }
        finally
        {
            // Pages read but not committed (a failure or a shutdown): read again next time, their buffers back now. A
            // commit under way finishes first (commits are not cancelled); the failure that got us here is the one to see.
            held?.Upserts.Dispose();
            if (committing is not null)
            {
                await committing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                    .ConfigureAwait(false);
            }

            if (pending is not null)
            {
                await readAhead.CancelAsync().ConfigureAwait(false);
                await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <remarks>
    /// The commit is not cancelled by shutdown: a page that reached the database is finished, then the loop stops.
    /// </remarks>
    /// <param name="startOver">Start the lane's table over first (see <see cref="PageCommit.ClearTable"/>), recording this entry.</param>
    private Task CommitAsync(ChangePage page, ReadLane lane, SyncHistoryEntry? startOver = null)
    {
        var now = UtcNow;
        var next = lane == ReadLane.Shadow ? AfterShadowPage(page, now) : AfterLivePage(page, lane, now);
        return CommitAsync(page, lane, next, startOver);
    }

    /// <summary>Commits a page together with the state that follows it (<paramref name="next"/>), fenced by the lease.</summary>
    private async Task CommitAsync(ChangePage page, ReadLane lane, EntityState next, SyncHistoryEntry? startOver)
    {
        var completes = page.CompletesRead;
        var recovering = _state.Status == EntityStatus.Failed;
        var seeding = lane != ReadLane.Stream;
        Masker?.Apply(page.Upserts);
        if (startOver is not null)
        {
            // The rows copied so far are gone with the table's old contents; progress counts from this page.
            next = next with { SeedRowsCopied = page.Upserts.Count };
        }

        var history = startOver
            ?? (lane == ReadLane.Seed && completes ? History("SeedCompleted", $"{next.SeedRowsCopied} rows")
            : recovering ? History("Recovered") : null);
        var layout = lane == ReadLane.Shadow ? _freshLayout! : _layout!;
        var commit = new PageCommit
        {
            Layout = layout,
            TableName = lane == ReadLane.Shadow ? layout.ShadowTableName : null,
            Upserts = page.Upserts,
            Deletes = page.Deletes,
            Mode = seeding ? WriteMode.BulkLoad : WriteMode.Upsert,
            ClearTable = startOver is not null,

            // The lease is renewed in the same transaction as the data, so holding it and writing cannot drift apart.
            Change = new StateChange(_state, next) { Fence = Fence, History = history },
        };

        var started = _time.GetTimestamp();
        using var trace = SyncActivity.PageCommit(EntityName, page.Upserts.Count, page.Deletes.Count, page.Next.Kind).With("pages", page.Pages);
        var written = await PageCommitRetry.RunAsync(() => _pages.CommitPageAsync(commit, CancellationToken.None), EntityName, _time, _log).ConfigureAwait(false);
        trace.With("rows.written", written.RowsWritten).Completed();
        _state = commit.Change.Stored;

        var committedAt = UtcNow;
        _metrics.PageCommitted(EntityName, page.Upserts.Count, page.Deletes.Count);
        if (seeding)
        {
            _metrics.SeedProgress(EntityName, next.SeedRowsCopied, completes);
        }
        else
        {
            RecordLag(page.Upserts, committedAt);
        }

        if (completes && lane != ReadLane.Shadow)
        {
            _metrics.CycleCompleted(EntityName, committedAt);
        }

        Log.PageCommitted(_log, EntityName, page.Upserts.Count, page.Deletes.Count, written.RowsWritten,
            _time.GetElapsedTime(started).TotalMilliseconds, page.Next.Kind);
        if (lane == ReadLane.Seed && completes)
        {
            Log.SeedCompleted(_log, EntityName, next.SeedRowsCopied);
        }
    }

    /// <summary>The state after a page of the live table (first seed or stream); a running re-seed stays recorded.</summary>
    private EntityState AfterLivePage(ChangePage page, ReadLane lane, DateTime now)
    {
        var completes = page.CompletesRead;
        var seeding = lane == ReadLane.Seed;
        return _state with
        {
            Status = seeding && !completes ? EntityStatus.Seeding
                : EffectiveStatus(_state) == EntityStatus.Reseeding ? EntityStatus.Reseeding
                : EntityStatus.Streaming,
            ResumeStatus = null,
            Cursor = page.Next,
            ParallelSeed = null,
            LayoutFingerprint = _layout!.Fingerprint,
            SeedRowsCopied = seeding ? _state.SeedRowsCopied + page.Upserts.Count : _state.SeedRowsCopied,
            SeedCompletedUtc = seeding && completes ? now : _state.SeedCompletedUtc,
            RowsUpserted = _state.RowsUpserted + page.Upserts.Count,
            RowsDeleted = _state.RowsDeleted + page.Deletes.Count,
            Pages = _state.Pages + page.Pages,
            LastSyncUtc = completes ? now : _state.LastSyncUtc,
            LastSourceChangeUtc = Later(_state.LastSourceChangeUtc, page.Upserts.MaxModifiedOn()),
            LastLagSeconds = seeding ? _state.LastLagSeconds : Lag(page.Upserts, now),
            LastError = null,
            ConsecutiveFailures = 0,
            UpdatedUtc = now,
        };
    }

    /// <summary>The state after a page of the shadow table: only the shadow cursor and the re-seed's progress move.</summary>
    private EntityState AfterShadowPage(ChangePage page, DateTime now) => _state with
    {
        Status = EntityStatus.Reseeding,
        ResumeStatus = null,
        ShadowCursor = page.Next,
        SeedRowsCopied = _state.SeedRowsCopied + page.Upserts.Count,
        Pages = _state.Pages + page.Pages,
        LastError = null,
        ConsecutiveFailures = 0,
        UpdatedUtc = now,
    };

    private void RecordLag(RowBatch rows, DateTime committedAt)
    {
        var ordinal = rows.Layout.ModifiedOnOrdinal;
        if (ordinal < 0)
        {
            return;
        }

        foreach (var row in rows.Rows)
        {
            if (row[ordinal] is DateTime modifiedOn)
            {
                _metrics.RecordLag(EntityName, (committedAt - modifiedOn).TotalSeconds);
            }
        }
    }

    /// <summary>
    /// Lag as the state row records it: from the source <c>modifiedon</c> of the oldest change in the page to its commit,
    /// 0 when the page brings no new or updated row (caught up). Not the age of the newest source change: a table nobody
    /// has edited for a year is not a year behind. Seeds leave it alone, since they copy rows changed long ago. Null
    /// (unknown, shown as "-") when the page has rows but none carries a <c>modifiedon</c> (a table without the column).
    /// </summary>
    private static double? Lag(RowBatch rows, DateTime committingAt) =>
        rows.Count == 0 ? 0
        : rows.MinModifiedOn() is { } oldest ? Math.Max(0, (committingAt - oldest).TotalSeconds)
        : null;

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
