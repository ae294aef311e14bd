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
    private const string CommandReasonPrefix = "Command:";

    private bool _liveTokenExpired;

    /// <summary>How long a re-seed cycle copies into the shadow table before the live table gets its next delta read.</summary>
    public TimeSpan ReseedSlice { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Owner name written on commands this agent picks up.</summary>
    public string WorkerId { get; set; } = "worker";

    /// <summary>
    /// Picks up re-seed commands (CLI <c>reseed</c>, <c>run --reseed</c>, the status page, drift) addressed to this
    /// entity. Called at the start of each cycle, so a running worker reacts within one poll interval.
    /// </summary>
    private async Task TakeReseedRequestsAsync(CancellationToken cancellationToken)
    {
        var claimed = await _target.ClaimCommandsAsync([EntityName], WorkerId, cancellationToken).ConfigureAwait(false);
        if (claimed.Count == 0)
        {
            return;
        }

        var reseeds = new List<SyncCommand>();
        foreach (var command in claimed)
        {
            if (string.Equals(command.Kind, ReseedCommandKind, StringComparison.OrdinalIgnoreCase))
            {
                reseeds.Add(command);
            }
            else
            {
                await CompleteCommandAsync(command, false, $"unknown command kind '{command.Kind}'", cancellationToken).ConfigureAwait(false);
            }
        }

        if (reseeds.Count == 0)
        {
            return;
        }

        var ids = string.Join(",", reseeds.Select(c => c.Id.ToString(CultureInfo.InvariantCulture)));
        switch (EffectiveStatus(_state))
        {
            case EntityStatus.New or EntityStatus.Seeding:
                foreach (var command in reseeds)
                {
                    await CompleteCommandAsync(command, true, "the first seed in progress reads every row already; no separate re-seed", cancellationToken)
                        .ConfigureAwait(false);
                }

                break;

            case EntityStatus.Reseeding:
                // One running re-seed answers every request made meanwhile; their commands complete at its swap.
                _state = _state with { ReseedReason = _state.ReseedReason is { } running && running.StartsWith(CommandReasonPrefix, StringComparison.Ordinal)
                    ? running + "," + ids
                    : CommandReasonPrefix + ids };
                await _target.SaveStateAsync(_state, cancellationToken).ConfigureAwait(false);
                foreach (var command in reseeds)
                {
                    Log.CommandHandled(_log, command.Id, command.Kind, EntityName, command.RequestedBy, "joined the re-seed already running");
                }

                break;

            default:
                var who = string.Join("; ", reseeds.Select(c => $"#{c.Id} by {c.RequestedBy ?? "unknown"}{(c.Detail is { } d ? ": " + d : "")}"));
                await BeginReseedAsync(CommandReasonPrefix + ids, who, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Creates an empty shadow table from fresh metadata and records the re-seed in the state row and history.</summary>
    private async Task BeginReseedAsync(string reason, string? detail, CancellationToken cancellationToken)
    {
        var layout = _freshLayout!;
        await _target.CreateShadowTableAsync(layout, cancellationToken).ConfigureAwait(false);
        var estimate = await EstimateRowsAsync(cancellationToken).ConfigureAwait(false);
        var now = UtcNow;
        _state = _state with
        {
            Status = EntityStatus.Reseeding,
            ResumeStatus = null,
            ShadowCursor = null,
            ShadowLayoutFingerprint = layout.Fingerprint,
            ReseedReason = reason,
            ReseedStartedUtc = now,
            SeedRowsCopied = 0,
            SeedRowsEstimated = estimate,
            UpdatedUtc = now,
        };
        await _target.SaveStateAsync(_state, cancellationToken).ConfigureAwait(false);
        await AppendHistoryAsync("ReseedStarted", detail is null ? reason : $"{reason}: {detail}", cancellationToken).ConfigureAwait(false);
        _liveTokenExpired = reason == TokenExpiredReason;
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
            await _target.CreateShadowTableAsync(layout, cancellationToken).ConfigureAwait(false);
            _state = _state with { ShadowCursor = null, ShadowLayoutFingerprint = layout.Fingerprint, SeedRowsCopied = 0, UpdatedUtc = UtcNow };
            await _target.SaveStateAsync(_state, cancellationToken).ConfigureAwait(false);
            await AppendHistoryAsync("ReseedRestarted", "the table's metadata changed during the re-seed", cancellationToken).ConfigureAwait(false);
            Log.ReseedRestarted(_log, EntityName, "metadata changed");
        }
        else if (_state.ShadowCursor is not null && _state.SeedRowsCopied > 0)
        {
            Log.ReseedResumed(_log, EntityName, _state.SeedRowsCopied);
        }

        var result = new CycleResult(true, 0, 0, 0);
        if (!_liveTokenExpired && _state.ReseedReason != TokenExpiredReason && _state.Cursor is not null)
        {
            try
            {
                result += await ReadToDeltaLinkAsync(ReadLane.Stream, _state.Cursor, null, cancellationToken).ConfigureAwait(false);
            }
            catch (ChangeTokenExpiredException expired)
            {
                // The swap brings a fresh token; until then the live table keeps what it has.
                _liveTokenExpired = true;
                Log.LiveTokenExpired(_log, EntityName, expired.Message);
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
                await AppendHistoryAsync("ReseedRestarted", rejected.Message, cancellationToken).ConfigureAwait(false);
                result += await ReadToDeltaLinkAsync(ReadLane.Shadow, null, ReseedSlice, cancellationToken, startOver: true).ConfigureAwait(false);
            }
        }

        if (_state.ShadowCursor is { IsDelta: true })
        {
            await SwapAsync().ConfigureAwait(false);
        }

        trace.With("rows", result.Upserts).With("pages", result.Pages).Completed();
        return result;
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
            LastSyncUtc = now,
            UpdatedUtc = now,
        };
        if (LeaseOwner is not null)
        {
            swapped = swapped with { LeaseOwner = LeaseOwner, LeaseExpiresUtc = now + LeaseDuration };
        }

        await _target.SwapShadowTableAsync(layout, swapped, _state.Cursor, _state.ShadowCursor, CancellationToken.None).ConfigureAwait(false);
        trace.Completed();
        _state = swapped;
        _layout = layout;
        _liveTokenExpired = false;
        _rebuildRequestedFor = null;
        _metrics.SeedProgress(EntityName, rows, completed: true);
        await AppendHistoryAsync("ReseedCompleted", $"{rows} rows ({reason})", CancellationToken.None).ConfigureAwait(false);
        Log.ReseedCompleted(_log, EntityName, rows);

        foreach (var id in CommandIds(reason))
        {
            var command = await _target.GetCommandAsync(id, CancellationToken.None).ConfigureAwait(false);
            if (command is not null)
            {
                await CompleteCommandAsync(command, true, $"re-seeded {rows} rows; swapped at {now:O}", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A delta read that turns into a re-seed when the change token has expired.</summary>
    private async Task<CycleResult> StreamAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadDeltaAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChangeTokenExpiredException expired)
        {
            // Dataverse keeps changes for a limited time (7 days by default); past it the only way back is a full read.
            await BeginReseedAsync(TokenExpiredReason, expired.Message, cancellationToken).ConfigureAwait(false);
            return await ReseedCycleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

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

    private async Task CompleteCommandAsync(SyncCommand command, bool succeeded, string detail, CancellationToken cancellationToken)
    {
        await _target.CompleteCommandAsync(command.Id, succeeded, detail, cancellationToken).ConfigureAwait(false);
        Log.CommandHandled(_log, command.Id, command.Kind, EntityName, command.RequestedBy, detail);
    }

    private static IEnumerable<long> CommandIds(string? reason) =>
        reason is not null && reason.StartsWith(CommandReasonPrefix, StringComparison.Ordinal)
            ? reason[CommandReasonPrefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
                .Where(id => id > 0)
            : [];
}
