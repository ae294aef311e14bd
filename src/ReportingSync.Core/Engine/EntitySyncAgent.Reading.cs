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
                    UpdatedUtc = UtcNow,
                },
                History("SeedStarted"),
                null,
                cancellationToken).ConfigureAwait(false);
            Log.SeedStarted(_log, EntityName);
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
            // A paging link can go stale (server restarts, cookie format changes). The read starts over, and so does the
            // table: a row copied before and deleted since would otherwise stay (see PageCommit.ClearTable).
            Log.SeedRestarted(_log, EntityName, rejected.Message);
            return await ReadToDeltaLinkAsync(ReadLane.Seed, null, null, cancellationToken, startOver: History("SeedRestarted", rejected.Message)).ConfigureAwait(false);
        }
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
    /// advances when the commit has succeeded, so a failure anywhere loses nothing. With <paramref name="startOver"/> the
    /// first commit also empties the lane's table, in the same transaction, and records that history entry.
    /// </summary>
    private async Task<CycleResult> ReadToDeltaLinkAsync(
        ReadLane lane, SyncCursor? from, TimeSpan? slice, CancellationToken cancellationToken, SyncHistoryEntry? startOver = null)
    {
        var layout = lane == ReadLane.Shadow ? _freshLayout! : _layout!;
        var seeding = lane != ReadLane.Stream;
        var result = new CycleResult(seeding, 0, 0, 0);
        var started = _time.GetTimestamp();
        using var readAhead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<ChangePage>? pending = _source.ReadChangesAsync(layout, from, readAhead.Token);
        try
        {
            while (pending is not null)
            {
                var page = await pending.ConfigureAwait(false);
                var sliceOver = slice is { } limit && _time.GetElapsedTime(started) >= limit;
                pending = page.CompletesRead || sliceOver ? null : _source.ReadChangesAsync(layout, page.Next, readAhead.Token);
                await CommitAsync(page, lane, startOver).ConfigureAwait(false);
                startOver = null;
                result += new CycleResult(seeding, 1, page.Upserts.Count, page.Deletes.Count);
                page.Upserts.Dispose(); // committed: its column buffers serve the next page
                cancellationToken.ThrowIfCancellationRequested();
            }

            return result;
        }
        finally
        {
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
        using var trace = SyncActivity.PageCommit(EntityName, page.Upserts.Count, page.Deletes.Count, page.Next.Kind);
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
            Pages = _state.Pages + 1,
            LastSyncUtc = completes ? now : _state.LastSyncUtc,
            LastSourceChangeUtc = Later(_state.LastSourceChangeUtc, page.Upserts.MaxModifiedOn()),
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
        Pages = _state.Pages + 1,
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

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
