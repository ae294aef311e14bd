using System.Globalization;
using ReportingSync.Diagnostics;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Engine;

/// <summary>
/// Zero-downtime re-seeds (DESIGN.md): a second change-tracking initial read fills <c>&lt;table&gt;__reseed</c> in
/// slices while the live table keeps streaming between them; when the shadow read reaches its delta link the two
/// tables swap in one transaction together with the cursor, so analysts see the old table or the new one, never a
/// partial one. Progress is committed per page like any seed, so a restarted worker (or another replica) resumes it.
/// </summary>
internal sealed partial class EntitySyncAgent
{
    internal const string ReseedCommandKind = "Reseed";
    internal const string TokenExpiredReason = "TokenExpired";
    internal const string CommandReason = "Command";
    internal const string CursorRejectedReason = "CursorRejected";

    private bool _liveTokenExpired;

    /// <summary>How long a re-seed cycle copies into the shadow table before the live table gets its next delta read.</summary>
    public TimeSpan ReseedSlice { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Owner name written on commands this agent picks up.</summary>
    public string WorkerId { get; set; } = "worker";

    /// <summary>
    /// Picks up commands (CLI <c>reseed</c>, <c>run --reseed</c>, the status page, drift, a reconciliation's repair)
    /// addressed to this entity. Called at the start of each cycle, so a running worker reacts within one poll interval.
    /// Claiming a command and acting on it are one fenced state change, so a command is never claimed and then forgotten;
    /// a Running command whose entity shows no re-seed (claimed by a worker of an earlier version that stopped) is taken again.
    /// </summary>
    private async Task TakeCommandsAsync(CancellationToken cancellationToken)
    {
        var open = await _states.OpenCommandsAsync(EntityName, cancellationToken).ConfigureAwait(false);
        var reseeding = EffectiveStatus(_state) == EntityStatus.Reseeding;
        var candidates = open.Where(c => c.Status == "Pending" || !reseeding).ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var unknown = candidates.Where(c => !IsReseed(c) && !IsRepair(c)).ToList();
        if (unknown.Count > 0)
        {
            await FinishCommandsAsync(unknown, CommandAction.Fail, "unknown command kind", cancellationToken).ConfigureAwait(false);
        }

        await RepairAsync(candidates.Where(IsRepair).ToList(), cancellationToken).ConfigureAwait(false);
        var reseeds = candidates.Where(IsReseed).ToList();
        if (reseeds.Count == 0)
        {
            return;
        }

        switch (EffectiveStatus(_state))
        {
            case EntityStatus.New or EntityStatus.Seeding when _rebuildPending:
                // The first seed writes into a table with the old column type: the rebuild waits for it to finish.
                break;

            case EntityStatus.New or EntityStatus.Seeding:
                // A seed reads with the table's current columns, and starts over when they changed (see SeedAsync).
                await FinishCommandsAsync(reseeds, CommandAction.Complete, "the first seed in progress reads every row already; no separate re-seed", cancellationToken)
                    .ConfigureAwait(false);
                break;

            case EntityStatus.Reseeding:
                // One running re-seed answers every request made meanwhile; their commands complete at its swap.
                await ChangeStateAsync(_state with { UpdatedUtc = UtcNow }, null, new CommandUpdate(CommandAction.Claim, Ids(reseeds), WorkerId), cancellationToken)
                    .ConfigureAwait(false);
                LogCommands(reseeds, "joined the re-seed already running");
                break;

            default:
                var who = string.Join("; ", reseeds.Select(c => $"#{c.Id} by {c.RequestedBy ?? "unknown"}{(c.Detail is { } d ? ": " + d : "")}"));
                await BeginReseedAsync(CommandReason, who, Ids(reseeds), cancellationToken).ConfigureAwait(false);
                LogCommands(reseeds, "re-seed started");
                break;
        }
    }

    private static bool IsReseed(SyncCommand command) => string.Equals(command.Kind, ReseedCommandKind, StringComparison.OrdinalIgnoreCase);

    private static IReadOnlyList<long> Ids(IEnumerable<SyncCommand> commands) => commands.Select(c => c.Id).ToList();

    /// <summary>Completes or fails commands in a state change of their own (fenced, so only the lease holder answers them).</summary>
    private async Task FinishCommandsAsync(IReadOnlyList<SyncCommand> commands, CommandAction action, string detail, CancellationToken cancellationToken)
    {
        await ChangeStateAsync(_state with { UpdatedUtc = UtcNow }, null, new CommandUpdate(action, Ids(commands), WorkerId, detail), cancellationToken)
            .ConfigureAwait(false);
        LogCommands(commands, detail);
    }

    private void LogCommands(IEnumerable<SyncCommand> commands, string outcome)
    {
        foreach (var command in commands)
        {
            Log.CommandHandled(_log, command.Id, command.Kind, EntityName, command.RequestedBy, outcome);
        }
    }

    /// <summary>
    /// Creates an empty shadow table from fresh metadata, in the transaction that records the re-seed in the state row and
    /// history and claims the commands it answers.
    /// </summary>
    private async Task BeginReseedAsync(string reason, string? detail, IReadOnlyList<long> commands, CancellationToken cancellationToken)
    {
        var layout = _freshLayout!;
        var estimate = await EstimateRowsAsync(cancellationToken).ConfigureAwait(false);
        var now = UtcNow;
        var next = _state with
        {
            Status = EntityStatus.Reseeding,
            ResumeStatus = null,
            ShadowCursor = null,
            ShadowLayoutFingerprint = layout.Fingerprint,
            ReseedReason = reason,
            ReseedStartedUtc = now,
            ReseedBlocked = null,
            SeedRowsCopied = 0,
            SeedRowsEstimated = estimate,
            UpdatedUtc = now,
        };
        _state = await _tables.CreateShadowTableAsync(
            layout,
            new StateChange(_state, next)
            {
                Fence = Fence,
                History = History("ReseedStarted", detail is null ? reason : $"{reason}: {detail}"),
                Commands = commands.Count == 0 ? null : new CommandUpdate(CommandAction.Claim, commands, WorkerId),
            },
            cancellationToken).ConfigureAwait(false);
        _liveTokenExpired = LiveCursorUnusable(reason);
        _metrics.SeedProgress(EntityName, 0, completed: false);
        Log.ReseedStarted(_log, EntityName, reason);
    }

    /// <summary>
    /// One slice of a re-seed: the live table's delta first (so it stays fresh), then shadow pages for up to
    /// <see cref="ReseedSlice"/>, then the swap once the shadow read has reached its delta link.
    /// </summary>
    private async Task<CycleResult> ReseedCycleAsync(CancellationToken cancellationToken)
    {
        using var trace = SyncActivity.Reseed(EntityName, _state.ReseedReason);
        var layout = _freshLayout!;
        if (_state.ShadowLayoutFingerprint != layout.Fingerprint)
        {
            // The table's metadata changed during the re-seed: rows copied so far have the old shape.
            _state = await _tables.CreateShadowTableAsync(
                layout,
                new StateChange(_state, _state with { ShadowCursor = null, ShadowLayoutFingerprint = layout.Fingerprint, SeedRowsCopied = 0, ReseedBlocked = null, UpdatedUtc = UtcNow })
                {
                    Fence = Fence,
                    History = History("ReseedRestarted", "the table's metadata changed during the re-seed"),
                },
                cancellationToken).ConfigureAwait(false);
            Log.ReseedRestarted(_log, EntityName, "metadata changed");
        }
        else if (_state.ShadowCursor is not null && _state.SeedRowsCopied > 0)
        {
            Log.ReseedResumed(_log, EntityName, _state.SeedRowsCopied);
        }

        var result = new CycleResult(true, 0, 0, 0);
        if (!_liveTokenExpired && !LiveCursorUnusable(_state.ReseedReason) && _state.Cursor is not null)
        {
            try
            {
                result += await ReadToDeltaLinkAsync(ReadLane.Stream, _state.Cursor, null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception refused) when (refused is ChangeTokenExpiredException or CursorRejectedException)
            {
                // The swap brings a fresh token; until then the live table keeps what it has.
                _liveTokenExpired = true;
                Log.LiveTokenExpired(_log, EntityName, refused.Message);
            }
        }

        if (_state.ShadowCursor is not { IsDelta: true })
        {
            try
            {
                result += await ReadToDeltaLinkAsync(ReadLane.Shadow, _state.ShadowCursor, ReseedSlice, cancellationToken).ConfigureAwait(false);
            }
            catch (CursorRejectedException rejected)
            {
                // The shadow read starts over, and so does the shadow table: a row copied before and deleted since would
                // otherwise survive the swap (see PageCommit.ClearTable).
                Log.ReseedRestarted(_log, EntityName, rejected.Message);
                result += await ReadToDeltaLinkAsync(ReadLane.Shadow, null, ReseedSlice, cancellationToken, startOver: History("ReseedRestarted", rejected.Message))
                    .ConfigureAwait(false);
            }
        }

        if (_state.ShadowCursor is { IsDelta: true })
        {
            await SwapOrWaitAsync().ConfigureAwait(false);
        }

        trace.With("rows", result.Upserts).With("pages", result.Pages).Completed();
        return result;
    }

    /// <summary>
    /// The swap, or, when it cannot keep what is built on the live table (<see cref="DependentObjectsException"/>: nothing
    /// was changed), the wait: the re-seed stays Reseeding with the blocking objects recorded (<see cref="EntityState.ReseedBlocked"/>),
    /// the live table keeps streaming, and every later cycle tries the swap again. A wait is not a failure: status, the
    /// status page and the <c>reportingsync.reseed.blocked</c> metric name each object and what to do.
    /// </summary>
    private async Task SwapOrWaitAsync()
    {
        try
        {
            await SwapAsync().ConfigureAwait(false);
        }
        catch (DependentObjectsException blocked)
        {
            await WaitForDependentsAsync(blocked.Objects).ConfigureAwait(false);
        }
    }

    /// <summary>Records a blocked swap once per set of objects (history and a warning); a wait that goes on changes nothing.</summary>
    private async Task WaitForDependentsAsync(IReadOnlyList<BlockingObject> objects)
    {
        _metrics.ReseedBlocked(EntityName, objects);
        if (_state.ReseedBlocked is { } waiting && waiting.Objects.SequenceEqual(objects))
        {
            return;
        }

        var block = new ReseedBlock(UtcNow, objects);
        await ChangeStateAsync(
            _state with { ReseedBlocked = block, UpdatedUtc = UtcNow },
            History("ReseedBlocked", string.Join("; ", objects)),
            null,
            CancellationToken.None).ConfigureAwait(false);
        Log.ReseedBlocked(_log, EntityName, string.Join("; ", objects));
    }

    /// <remarks>Not cancelled by shutdown, like a page commit: a swap that reached the database is finished.</remarks>
    private async Task SwapAsync()
    {
        var layout = _freshLayout!;
        var now = UtcNow;
        var reason = _state.ReseedReason;
        var rows = _state.SeedRowsCopied;
        using var trace = SyncActivity.Swap(EntityName, rows);
        var swapped = _state with
        {
            Status = EntityStatus.Streaming,
            ResumeStatus = null,
            Cursor = _state.ShadowCursor,
            ShadowCursor = null,
            ShadowLayoutFingerprint = null,
            LayoutFingerprint = layout.Fingerprint,
            SeedCompletedUtc = now,
            ReseedReason = null,
            ReseedStartedUtc = null,
            ReseedBlocked = null,
            LastSyncUtc = now,
            UpdatedUtc = now,
        };
        _state = await _tables.SwapShadowTableAsync(
            layout,
            new StateChange(_state, swapped)
            {
                Fence = Fence,
                History = History("ReseedCompleted", $"{rows} rows ({reason})"),
                Commands = new CommandUpdate(CommandAction.CompleteRunningReseeds, [], WorkerId, $"re-seeded {rows} rows; swapped at {now:O}"),
            },
            CancellationToken.None).ConfigureAwait(false);
        trace.Completed();
        _layout = layout;
        _liveTokenExpired = false;
        _metrics.ReseedBlocked(EntityName, []);
        _metrics.SeedProgress(EntityName, rows, completed: true);
        Log.ReseedCompleted(_log, EntityName, rows);
    }

    /// <summary>
    /// A delta read that turns into a re-seed when the change token has expired or Dataverse refuses the saved link
    /// (400, 404, 410): retrying the same link would fail forever, and a full read is the only way back.
    /// </summary>
    private async Task<CycleResult> StreamAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadDeltaAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChangeTokenExpiredException expired)
        {
            // Dataverse keeps changes for a limited time (7 days by default); past it the only way back is a full read.
            await BeginReseedAsync(TokenExpiredReason, expired.Message, [], cancellationToken).ConfigureAwait(false);
            return await ReseedCycleAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CursorRejectedException rejected)
        {
            Log.CursorRejectedReseed(_log, EntityName, rejected.Message);
            await BeginReseedAsync(CursorRejectedReason, rejected.Message, [], cancellationToken).ConfigureAwait(false);
            return await ReseedCycleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Re-seeds that replace a live cursor Dataverse will not (or must not) read from: the live table waits for the swap.</summary>
    private static bool LiveCursorUnusable(string? reason) => reason is TokenExpiredReason or CursorRejectedReason or OrganizationChangedReason;

    private async Task<long?> EstimateRowsAsync(CancellationToken cancellationToken)
    {
        if (_queries is null)
        {
            return null;
        }

        try
        {
            return await _queries.GetTotalRecordCountAsync(EntityName, cancellationToken).ConfigureAwait(false);
        }
        catch (SourceException)
        {
            // Only a progress estimate: its absence must not stop the seed.
            return null;
        }
    }
}
