using Microsoft.Extensions.Logging;
using ReportingSync.Engine.Drift;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Engine;

/// <summary>
/// One entity's loop. It alone changes its entity's state, and every change of state is committed together with the
/// data it describes (DESIGN.md, the per-page commit protocol). Cycles: seed (change-tracking initial read until the
/// first delta link), then delta reads, each read to its next delta link, one committed page at a time.
/// </summary>
internal sealed partial class EntitySyncAgent
{
    private readonly EntityOptions _options;
    private readonly LayoutOptions _layoutOptions;
    private readonly IChangeSource _source;
    private readonly IReportingTarget _target;
    private readonly ISyncStateStore _states;
    private readonly ITableStore _tables;
    private readonly IPageCommitter _pages;
    private readonly IMetadataStore _metadata;
    private readonly SyncMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly DriftPolicy _drift;
    private readonly IRowQuerySource? _queries;
    private TableLayout? _layout;

    /// <summary>The layout fresh metadata asks for; differs from <see cref="_layout"/> while a rebuild is pending.</summary>
    private TableLayout? _freshLayout;

    /// <summary>The table must be rebuilt (a column changed type): a first seed cannot answer a re-seed request meanwhile.</summary>
    private bool _rebuildPending;
    private EntityState _state;

    public EntitySyncAgent(
        EntityOptions options,
        LayoutOptions layoutOptions,
        IChangeSource source,
        IReportingTarget target,
        SyncMetrics metrics,
        TimeProvider time,
        ILogger log,
        DriftPolicy? drift = null,
        IRowQuerySource? queries = null)
    {
        _queries = queries;
        _drift = drift ?? new DriftPolicy();
        _options = options;
        _layoutOptions = layoutOptions;
        _source = source;
        _target = target;
        _states = target;
        _tables = target;
        _pages = target;
        _metadata = target;
        _metrics = metrics;
        _time = time;
        _log = log;
        _state = new EntityState { EntityName = options.Name };
        metrics.Track(options.Name);
    }

    public string EntityName => _options.Name;

    /// <summary>
    /// The fence every state change of this agent carries, from start to end (none when leases are off): its worker's
    /// lease. It never goes away while the agent runs, even when the lease is lost, so a write after a loss is refused
    /// by the fence instead of going out unfenced.
    /// </summary>
    public LeaseFence? Fence { get; init; }

    /// <summary>Hashes masked columns before every commit; null when no key is configured.</summary>
    public ColumnMasker? Masker { get; set; }

    /// <summary>The last state this agent read or committed.</summary>
    public EntityState State => _state;

    public TableLayout? Layout => _layout;

    private DateTime UtcNow => _time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Resolves the table layout from metadata (or from a schema read during preflight) and makes sure the table and
    /// the state row exist.
    /// </summary>
    public async Task PrepareAsync(EntitySchema? schema, CancellationToken cancellationToken)
    {
        schema ??= await _source.GetEntitySchemaAsync(_options.Name, cancellationToken).ConfigureAwait(false);
        if (!schema.ChangeTrackingEnabled)
        {
            throw new ChangeTrackingDisabledException(_options.Name);
        }

        _freshLayout = TableLayout.Create(schema, _options.ToSelection(), _layoutOptions);
        _quarantineDue = true;

        // Drift decides by the entity's status (a first seed answers new columns itself): the stored one, not a guess.
        _state = await _states.LoadStateAsync(_options.Name, cancellationToken).ConfigureAwait(false) ?? _state;
        _layout = await FollowDriftAsync(schema, cancellationToken).ConfigureAwait(false);
        await _tables.EnsureTableAsync(_layout, cancellationToken).ConfigureAwait(false);
        await PruneHistoryAsync(cancellationToken).ConfigureAwait(false);

        // Every metadata read (start-up, and each re-read after a failure or refresh) refreshes the label tables and the
        // entity's _labelled view, so renamed or added options reach analysts without a re-seed.
        await _metadata.SyncMetadataAsync([(schema, _layout)], cancellationToken).ConfigureAwait(false);

        var stored = await _states.CreateStateAsync(
            new EntityState { EntityName = _options.Name, LayoutFingerprint = _layout.Fingerprint, UpdatedUtc = UtcNow }, cancellationToken).ConfigureAwait(false);
        if (stored.LayoutFingerprint is not null && stored.LayoutFingerprint != _layout.Fingerprint)
        {
            Log.LayoutChanged(_log, _options.Name, stored.LayoutFingerprint, _layout.Fingerprint);
        }

        _state = stored;
        _metrics.SeedProgress(_options.Name, stored.SeedRowsCopied, stored.SeedCompletedUtc is not null);
    }

    /// <summary>With each metadata read: history versions that closed longer ago than the retention go, in small batches.</summary>
    private async Task PruneHistoryAsync(CancellationToken cancellationToken)
    {
        if (_layout is { Options: { History: true, HistoryRetention: { } retention } })
        {
            var pruned = await _tables.PruneHistoryAsync(_layout, UtcNow - retention, cancellationToken).ConfigureAwait(false);
            if (pruned > 0)
            {
                Log.HistoryPruned(_log, EntityName, pruned, retention);
            }
        }
    }

    /// <summary>
    /// Compares fresh metadata with the table (when it exists) and applies the drift plan: in-place DDL now; a re-seed
    /// request where existing rows must be re-read (new columns) or the table rebuilt (incompatible type). A plan the
    /// policies forbid throws, which fails this entity only. Returns the layout the live table can take now.
    /// </summary>
    private async Task<TableLayout> FollowDriftAsync(EntitySchema schema, CancellationToken cancellationToken)
    {
        var plan = await new DriftInspector(_source, _tables).PlanAsync(schema, _options, _layoutOptions, _drift, cancellationToken).ConfigureAwait(false);
        _rebuildPending = plan?.NeedsRebuild == true;
        if (plan is null)
        {
            return _freshLayout!;
        }

        if (plan.ChangesTable || plan.Fails)
        {
            foreach (var step in plan.Steps)
            {
                Log.DriftStep(_log, EntityName, step.ToString());
            }

            if (!plan.Fails && (plan.NeedsRebuild || plan.NeedsBackfill))
            {
                // Asked for before the DDL: once a column exists, a later plan no longer sees it as new, so a stop in
                // between would otherwise leave it empty for good. A rebuild is planned again at every metadata read
                // until the swap, so one whose command was lost is asked for again.
                await RequestDriftReseedAsync(plan, cancellationToken).ConfigureAwait(false);
            }

            await DriftApplier.ApplyAsync(_tables, _states, plan, UtcNow, cancellationToken).ConfigureAwait(false);
        }

        return plan.Layout;
    }

    /// <summary>
    /// Asks for the re-seed that fills new columns (or rebuilds a changed one) from fresh metadata into a shadow table
    /// while this table keeps streaming, unless one is running or waiting already: a running re-seed restarts its shadow
    /// when the metadata changed under it, and a first seed starts over (see <see cref="SeedAsync"/>).
    /// </summary>
    private async Task RequestDriftReseedAsync(DriftPlan plan, CancellationToken cancellationToken)
    {
        var status = EffectiveStatus(_state);
        if (status == EntityStatus.Reseeding || status is EntityStatus.New or EntityStatus.Seeding && !plan.NeedsRebuild)
        {
            return;
        }

        var open = await _states.OpenCommandsAsync(EntityName, cancellationToken).ConfigureAwait(false);
        if (open.Any(c => IsReseed(c) && c.Status == "Pending"))
        {
            return;
        }

        await _states.EnqueueCommandAsync(
            new SyncCommand
            {
                EntityName = EntityName,
                Kind = ReseedCommandKind,
                RequestedUtc = UtcNow,
                RequestedBy = "schema drift",
                Detail = string.Join("; ", plan.Steps.Where(s => s.Action is DriftAction.AddColumn or DriftAction.Rebuild)),
            },
            cancellationToken).ConfigureAwait(false);
        Log.DriftReseedRequested(_log, EntityName);
    }

    /// <summary>
    /// Runs one cycle: finishes (or starts) the seed when the entity has not been seeded, otherwise reads changes up to
    /// the next delta link. Throws on failure after recording it in the state row.
    /// </summary>
    public async Task<CycleResult> RunCycleAsync(CancellationToken cancellationToken)
    {
        if (_layout is null)
        {
            throw new InvalidOperationException($"Agent for '{EntityName}' was not prepared.");
        }

        try
        {
            // The stored row is the truth (another process may have committed since this agent last looked).
            _state = await _states.LoadStateAsync(EntityName, cancellationToken).ConfigureAwait(false) ?? _state;
            if (await FollowOrganizationAsync(cancellationToken).ConfigureAwait(false) is { } startedOver)
            {
                return startedOver;
            }

            await TakeCommandsAsync(cancellationToken).ConfigureAwait(false);
            await RetryQuarantineAsync(cancellationToken).ConfigureAwait(false);
            return EffectiveStatus(_state) switch
            {
                EntityStatus.New or EntityStatus.Seeding => await SeedAsync(cancellationToken).ConfigureAwait(false),
                EntityStatus.Reseeding => await ReseedCycleAsync(cancellationToken).ConfigureAwait(false),
                _ => await StreamAsync(cancellationToken).ConfigureAwait(false),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(ex, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A failed entity resumes where the failure interrupted it.</summary>
    private static EntityStatus EffectiveStatus(EntityState state) =>
        state.Status == EntityStatus.Failed ? state.ResumeStatus ?? EntityStatus.New : state.Status;

    private async Task RecordFailureAsync(Exception error, CancellationToken cancellationToken)
    {
        if (error is LeaseLostException)
        {
            // Not this entity's failure: another replica owns it now and its state row is that replica's to write.
            Log.LeaseLost(_log, EntityName, error.Message);
            return;
        }

        var kind = ErrorKind(error);
        _metrics.Error(EntityName, kind);
        Log.CycleFailed(_log, EntityName, kind, error.Message);
        try
        {
            // Reload first: if the failure hit after a commit reached the database, the stored row is newer than ours.
            var current = await _states.LoadStateAsync(EntityName, cancellationToken).ConfigureAwait(false) ?? _state;
            var failed = current with
            {
                Status = EntityStatus.Failed,
                ResumeStatus = EffectiveStatus(current),
                LastError = $"{kind}: {error.Message}",
                LastErrorUtc = UtcNow,
                ConsecutiveFailures = current.ConsecutiveFailures + 1,
                UpdatedUtc = UtcNow,
            };
            _state = await _states.ChangeStateAsync(
                new StateChange(current, failed)
                {
                    Fence = Fence,
                    History = current.Status == EntityStatus.Failed ? null : new SyncHistoryEntry(EntityName, UtcNow, "Failed", failed.LastError),
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CursorConflictException conflict)
        {
            // Another writer (a replica that took the lease, a repair) moved the row since: its version of events stands.
            Log.CouldNotRecordFailure(_log, EntityName, conflict.Message);
        }
        catch (Exception recordError) when (recordError is not OperationCanceledException)
        {
            // The target itself may be what failed; the error is logged above and the cycle will be retried.
            Log.CouldNotRecordFailure(_log, EntityName, recordError.Message);
        }
    }

    /// <summary>
    /// Changes the state row from what this agent last read or wrote to <paramref name="next"/>, fenced by the lease, with
    /// a history entry and command updates in the same transaction.
    /// </summary>
    private async Task ChangeStateAsync(EntityState next, SyncHistoryEntry? history, CommandUpdate? commands, CancellationToken cancellationToken)
    {
        _state = await _states.ChangeStateAsync(
            new StateChange(_state, next) { Fence = Fence, History = history, Commands = commands }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A history entry for this entity, now.</summary>
    private SyncHistoryEntry History(string eventName, string? detail = null) => new(EntityName, UtcNow, eventName, detail);

    internal static string ErrorKind(Exception error) => error switch
    {
        ChangeTokenExpiredException => "token_expired",
        CursorRejectedException => "cursor_rejected",
        EntityNotFoundException => "entity_not_found",
        ChangeTrackingDisabledException => "change_tracking_disabled",
        SourceException => "source",
        CursorConflictException => "cursor_conflict",
        TargetException => "target",
        InvalidSchemaException or InvalidIdentifierException => "schema",
        _ => "internal",
    };
}
