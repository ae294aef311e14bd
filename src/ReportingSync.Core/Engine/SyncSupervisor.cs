using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportingSync.Engine.Drift;
using ReportingSync.Engine.Scheduling;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Engine;

/// <summary>
/// Starts and watches one <see cref="EntitySyncAgent"/> per configured entity. It checks everything it can before
/// writing anything (preflight), then either runs one pass (<see cref="RunOnceAsync"/>) or loops until cancelled
/// (<see cref="RunAsync"/>), with failing entities retried with capped exponential backoff while the others continue.
/// </summary>
public sealed partial class SyncSupervisor
{
    private readonly SyncOptions _options;
    private readonly IChangeSource _source;
    private readonly IReportingTarget _target;
    private readonly SyncMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SemaphoreSlim _cycleSlots;
    private readonly Dictionary<string, AgentSlot> _agents = new(StringComparer.OrdinalIgnoreCase);
    private readonly PollScheduler _scheduler;
    private readonly MetadataWatch _metadata;
    private readonly PaceReporter? _pace;
    private readonly string _workerId;
    private SourceOrganization? _organization;

    public SyncSupervisor(
        IOptions<SyncOptions> options,
        IChangeSource source,
        IReportingTarget target,
        SyncMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        IRowQuerySource? queries = null,
        ISourceTraffic? traffic = null)
    {
        _options = options.Value;
        _source = source;
        _target = target;
        _metrics = metrics;
        _time = time;
        _loggerFactory = loggerFactory;
        _log = loggerFactory.CreateLogger<SyncSupervisor>();
        _cycleSlots = new SemaphoreSlim(Math.Max(1, _options.MaxParallelEntities));
        _scheduler = new PollScheduler(_options, time);
        _metadata = new MetadataWatch(source, _options.Entities.Select(e => e.Name).ToList(), _options.MetadataRefreshInterval, time, _log);
        _workerId = string.IsNullOrWhiteSpace(_options.WorkerId)
            ? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}"
            : _options.WorkerId;
        var seedMemory = new SeedMemoryBudget(Math.Max(1, _options.SeedMemoryBudgetMegabytes) * 1024L * 1024);
        foreach (var entity in _options.Entities)
        {
            var agent = new EntitySyncAgent(entity, _options.ToLayoutOptions(entity), source, target, metrics, time,
                loggerFactory.CreateLogger($"ReportingSync.Entity.{entity.Name}"), _options.DriftPolicyFor(entity), queries)
            {
                WorkerId = _workerId,
                Fence = _options.Leases ? new LeaseFence(_workerId, _options.LeaseDuration) : null,
                ReseedSlice = ReseedSlice(_options.FastestPoll),
                SeedPartitions = _options.SeedPartitions,
                Masker = ColumnMasker.For(_options.MaskKey),
                ParallelSeedMinRows = _options.ParallelSeedMinRows,
                SeedMemory = seedMemory,
            };
            _agents[entity.Name] = new AgentSlot(agent, _scheduler.For(entity.Name));
        }

        _pace = traffic is null ? null : new PaceReporter(_workerId, () => PollIntervals, traffic, target, time, _log);
    }

    /// <summary>The entities this supervisor runs, with their last known state.</summary>
    public IReadOnlyList<EntityState> States => _agents.Values.Select(a => a.Agent.State).ToList();

    internal IReadOnlyCollection<EntitySyncAgent> Agents => _agents.Values.Select(a => a.Agent).ToList();

    /// <summary>
    /// Checks the target connection, takes the first metadata stamp and reads every entity's metadata. Writes nothing. Throws
    /// <see cref="StartupException"/> listing each problem (unknown table, no change tracking, unreachable source...).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, EntitySchema>> PreflightAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A connection the server dropped a moment ago fails once; an unreachable database must still fail fast.
            await RetryStartupAsync(_target.CheckAsync, attempts: 3, _ => TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
        catch (TargetException ex)
        {
            throw new StartupException([ex.Message], ex);
        }

        try
        {
            // Before the definitions are read, so that a change made while they are read shows at the first check.
            await _metadata.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SourceUnavailableException ex)
        {
            throw new StartupException([ex.Message], ex);
        }

        var schemas = new Dictionary<string, EntitySchema>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var entity in _options.Entities)
        {
            try
            {
                var schema = await _source.GetEntitySchemaAsync(entity.Name, cancellationToken).ConfigureAwait(false);
                if (!schema.ChangeTrackingEnabled)
                {
                    throw new ChangeTrackingDisabledException(entity.Name);
                }

                // Building the layout validates every name and type before any table is created.
                _ = TableLayout.Create(schema, entity.ToSelection(), _options.ToLayoutOptions());
                schemas[entity.Name] = schema;
            }
            catch (SourceUnavailableException ex)
            {
                // The source itself is down: every other entity would fail the same way.
                throw new StartupException([ex.Message], ex);
            }
            catch (Exception ex) when (ex is SourceException or InvalidSchemaException or InvalidIdentifierException)
            {
                problems.Add(ex.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new StartupException(problems);
        }

        await IdentifyOrganizationAsync(cancellationToken).ConfigureAwait(false);
        return schemas;
    }

    /// <summary>The organisation the source is, handed to every agent so saved links are checked against it.</summary>
    private async Task IdentifyOrganizationAsync(CancellationToken cancellationToken)
    {
        try
        {
            _organization = new SourceOrganization(await _source.GetOrganizationIdAsync(cancellationToken).ConfigureAwait(false), _source.OrganizationUrl);
        }
        catch (SourceException ex)
        {
            throw new StartupException([$"Could not identify the Dataverse organisation (WhoAmI): {ex.Message}"], ex);
        }

        foreach (var slot in _agents.Values)
        {
            slot.Agent.Organization = _organization;
        }
    }

    /// <summary>
    /// Refuses to mix two organisations' rows: an entity whose state names another organisation than the source's (a
    /// configuration pointed at another environment) stops start-up, unless it is re-seeding, or asked to, or already
    /// re-seeding for that reason. Runs after the state tables exist; writes nothing.
    /// </summary>
    private async Task CheckOrganizationAsync(IReadOnlyCollection<string> reseeding, CancellationToken cancellationToken)
    {
        if (_organization is not { } organization)
        {
            return;
        }

        var problems = new List<string>();
        foreach (var slot in _agents.Values)
        {
            var name = slot.Agent.EntityName;
            var state = await _target.LoadStateAsync(name, cancellationToken).ConfigureAwait(false);
            if (state?.OrganizationId is not { } stored || stored == organization.Id
                || state.ReseedReason == EntitySyncAgent.OrganizationChangedReason
                || reseeding.Contains(name, StringComparer.OrdinalIgnoreCase)
                || (await _target.OpenCommandsAsync(name, cancellationToken).ConfigureAwait(false)).Any(c => c.Kind == EntitySyncAgent.ReseedCommandKind))
            {
                continue;
            }

            var host = state.Cursor?.Url is { } link ? $" at {SourceLink.OriginOf(link)}" : string.Empty;
            problems.Add(
                $"'{name}' holds the rows of Dataverse organisation {stored}{host}, but the configured source " +
                $"{organization.Url.GetLeftPart(UriPartial.Authority)} is organisation {organization.Id}. Nothing was written. " +
                $"To replace the table with this organisation's rows, run with --reseed {name}; otherwise fix ReportingSync:Dataverse:Url.");
        }

        if (problems.Count > 0)
        {
            throw new StartupException(problems);
        }
    }

    /// <summary>Creates the state tables and every entity table. Run after a successful preflight.</summary>
    public Task InitializeAsync(IReadOnlyDictionary<string, EntitySchema> schemas, CancellationToken cancellationToken) =>
        InitializeAsync(schemas, [], cancellationToken);

    /// <summary>
    /// Creates the state tables and every entity table. Run after a successful preflight; <paramref name="reseeding"/> names
    /// the entities a re-seed is about to be asked for (<c>run --reseed</c>), which may hold another organisation's rows.
    /// </summary>
    public async Task InitializeAsync(IReadOnlyDictionary<string, EntitySchema> schemas, IReadOnlyCollection<string> reseeding, CancellationToken cancellationToken)
    {
        // Preflight has just reached the database, so losing it now is a blip: retry with the failure backoff.
        await RetryStartupAsync(_target.InitializeAsync, StartupAttempts, FailureDelay, cancellationToken).ConfigureAwait(false);
        await CheckOrganizationAsync(reseeding, cancellationToken).ConfigureAwait(false);

        foreach (var slot in _agents.Values)
        {
            try
            {
                await slot.Agent.PrepareAsync(schemas.GetValueOrDefault(slot.Agent.EntityName), cancellationToken).ConfigureAwait(false);
                slot.Prepared = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One entity whose table cannot be prepared yet (drift the policy forbids, a replica racing to create it,
                // a connection lost right now) must not stop the others; its loop prepares again with the failure backoff.
                Log.PrepareFailed(_log, slot.Agent.EntityName, ex.Message);
            }
        }
    }

    /// <summary>
    /// A start-up step against the database, retried with the failure backoff a few times when the database is lost for
    /// a moment (a failover, a killed connection, a restart) rather than giving up on start-up.
    /// </summary>
    private async Task RetryStartupAsync(Func<CancellationToken, Task> step, int attempts, Func<int, TimeSpan> backoff, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TargetUnavailableException ex) when (ex.IsTransient && attempt < attempts)
            {
                var delay = backoff(attempt);
                Log.StartupRetry(_log, ex.Message, delay.TotalSeconds, attempt);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One pass: every entity seeds if it has not, then reads its changes once. Entities run in parallel up to
    /// <see cref="SyncOptions.MaxParallelEntities"/>; a failing entity does not stop the others.
    /// </summary>
    public async Task<IReadOnlyList<EntityOutcome>> RunOnceAsync(CancellationToken cancellationToken)
    {
        using var passDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var keeper = _options.Leases ? KeepLeasesAsync(passDone.Token) : Task.CompletedTask;
        var passes = _agents.Values.Select(slot => RunOnePassAsync(slot, cancellationToken)).ToList();
        try
        {
            return await Task.WhenAll(passes).ConfigureAwait(false);
        }
        finally
        {
            await passDone.CancelAsync().ConfigureAwait(false);
            await keeper.ConfigureAwait(false);
            await ReleaseLeasesAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A one-off pass waits for the lease (a replica that just died still holds it until it expires) rather than
    /// reporting an entity it never touched as synced.
    /// </summary>
    private async Task WaitForLeaseAsync(AgentSlot slot, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp();
        while (!await HoldLeaseAsync(slot, cancellationToken).ConfigureAwait(false))
        {
            if (_time.GetElapsedTime(deadline) > _options.LeaseDuration + TimeSpan.FromSeconds(1))
            {
                var holder = await _target.LoadStateAsync(slot.Agent.EntityName, cancellationToken).ConfigureAwait(false);
                throw new LeaseHeldException(slot.Agent.EntityName, holder?.LeaseOwner, holder?.LeaseExpiresUtc);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<EntityOutcome> RunOnePassAsync(AgentSlot slot, CancellationToken cancellationToken)
    {
        await _cycleSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_options.Leases)
            {
                await WaitForLeaseAsync(slot, cancellationToken).ConfigureAwait(false);
            }

            var result = await RunHeldCycleAsync(slot, cancellationToken).ConfigureAwait(false);
            while (slot.Agent.State.Status is EntityStatus.Seeding or EntityStatus.Reseeding && slot.Agent.State.ReseedBlocked is null
                   && (slot.HoldsLease || !_options.Leases))
            {
                // A re-seed runs in slices (the live table streams between them); a one-off pass finishes it, unless its
                // swap waits for objects it cannot keep: then the pass ends, saying so (the next run tries the swap again).
                result += await RunHeldCycleAsync(slot, cancellationToken).ConfigureAwait(false);
            }

            if (result.Seeded)
            {
                // Changes made while the seed ran come back in the first delta read.
                result += await RunHeldCycleAsync(slot, cancellationToken).ConfigureAwait(false);
            }

            return new EntityOutcome(slot.Agent.EntityName, result, null) { ReseedBlocked = slot.Agent.State.ReseedBlocked };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new EntityOutcome(slot.Agent.EntityName, default, ex);
        }
        finally
        {
            _cycleSlots.Release();
        }
    }

    /// <summary>
    /// A cycle of a one-off pass, under the lease: if the lease ran out meanwhile (a stall longer than it, say), nothing
    /// was written; the pass takes the lease again (waiting out another holder, like at its start) and runs the cycle again.
    /// </summary>
    private async Task<CycleResult> RunHeldCycleAsync(AgentSlot slot, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunCycleAsync(slot, cancellationToken).ConfigureAwait(false);
            }
            catch (LeaseLostException) when (_options.Leases && attempt < LeaseAttempts)
            {
                Forget(slot);
                await WaitForLeaseAsync(slot, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>This replica no longer holds the entity's lease: its next cycle must take it again.</summary>
    private void Forget(AgentSlot slot)
    {
        slot.HoldsLease = false;
        _metrics.PollInterval(slot.Agent.EntityName, null);
    }

    /// <summary>
    /// Runs every entity's loop until cancelled, and keeps the leases this replica holds renewed meanwhile. Shutdown
    /// finishes the page being committed, then returns.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Log.SupervisorStarted(_log, _agents.Count, string.Join(", ", _agents.Keys));
        List<Task> loops = [.. _agents.Values.Select(slot => LoopAsync(slot, cancellationToken))];
        if (_options.Leases)
        {
            loops.Add(KeepLeasesAsync(cancellationToken));
        }

        if (_pace is not null)
        {
            loops.Add(_pace.RunAsync(cancellationToken));
        }

        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            Log.SupervisorStopping(_log);
            await ReleaseLeasesAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Asks an entity's loop to read changes now, at its fastest pace (push hint, command). Unknown names are ignored.</summary>
    public bool Wake(string entity) => _scheduler.Hint(entity);

    /// <summary>
    /// The current poll interval of each entity this worker reads (for the status page and <c>status</c>): with leases on,
    /// only those whose lease it holds; another replica polls the rest at its own pace.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> PollIntervals => _agents.Values
        .Where(slot => !_options.Leases || slot.HoldsLease)
        .ToDictionary(slot => slot.Agent.EntityName, slot => slot.Schedule.Interval, StringComparer.OrdinalIgnoreCase);

    private async Task LoopAsync(AgentSlot slot, CancellationToken cancellationToken)
    {
        var failures = 0;
        var schedule = slot.Schedule;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _cycleSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                CycleResult result;
                try
                {
                    result = await RunCycleAsync(slot, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _cycleSlots.Release();
                }

                failures = 0;
                if (result.Seeded)
                {
                    schedule.DueIn(TimeSpan.Zero);
                }
                else if (_options.Leases && !slot.HoldsLease)
                {
                    schedule.DueIn(LeaseRetryInterval());
                }
                else
                {
                    schedule.AfterRead(result.Upserts + result.Deletes);
                    _metrics.PollInterval(slot.Agent.EntityName, schedule.Interval);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (LeaseLostException)
            {
                // Not a failure of the entity: ask for the lease again soon, as for one never held.
                Forget(slot);
                schedule.DueIn(LeaseRetryInterval());
            }
            catch (Exception)
            {
                // The agent has logged and recorded the failure in its state row.
                failures++;
                slot.Prepared = false;
                var delay = FailureDelay(failures);
                schedule.DueIn(delay);
                Log.RetryScheduled(_log, slot.Agent.EntityName, delay.TotalSeconds, failures);
            }

            try
            {
                await schedule.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Renews the leases this replica holds every third of <see cref="SyncOptions.LeaseDuration"/>, whatever its loops are
    /// doing: a quiet entity reads once a minute, and a page can wait minutes behind a 429, but the lease must not run
    /// out meanwhile (a fenced commit after it did would be refused and another replica could take the entity).
    /// </summary>
    private async Task KeepLeasesAsync(CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromTicks(_options.LeaseDuration.Ticks / 3);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, cancellationToken).ConfigureAwait(false);
                foreach (var slot in _agents.Values.Where(s => s.HoldsLease))
                {
                    await RenewLeaseAsync(slot, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be down for a moment; the next round, or the entity's own next cycle, tries again.
                Log.LeaseLost(_log, "(renewal)", ex.Message);
            }
        }
    }

    private async Task RenewLeaseAsync(AgentSlot slot, CancellationToken cancellationToken)
    {
        if (!await _target.TryAcquireLeaseAsync(slot.Agent.EntityName, _workerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            Forget(slot);
            Log.LeaseLost(_log, slot.Agent.EntityName, "another replica holds it now");
        }
    }

    /// <summary>
    /// Writes a re-seed command for each entity (<c>run --reseed</c>); whichever replica holds the entity picks it up at
    /// its next cycle. Unknown names are refused before anything is written.
    /// </summary>
    public async Task RequestReseedAsync(IReadOnlyCollection<string> entities, string requestedBy, CancellationToken cancellationToken)
    {
        var unknown = entities.Where(e => !_agents.ContainsKey(e)).ToList();
        if (unknown.Count > 0)
        {
            throw new StartupException(unknown.Select(e =>
                $"--reseed '{e}' is not one of the configured entities ({string.Join(", ", _agents.Keys)}).").ToList());
        }

        foreach (var entity in entities)
        {
            var name = _agents[entity].Agent.EntityName;
            await _target.EnqueueCommandAsync(
                new SyncCommand { EntityName = name, Kind = EntitySyncAgent.ReseedCommandKind, RequestedUtc = _time.GetUtcNow().UtcDateTime, RequestedBy = requestedBy },
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A re-seed slice long enough to make progress, short enough that the live table stays a few polls fresh.</summary>
    private static TimeSpan ReseedSlice(TimeSpan pollInterval) =>
        TimeSpan.FromTicks(Math.Clamp(pollInterval.Ticks * 2, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>This replica's lease owner name.</summary>
    public string WorkerId => _workerId;

    private async Task<CycleResult> RunCycleAsync(AgentSlot slot, CancellationToken cancellationToken)
    {
        var agent = slot.Agent;
        if (_options.Leases && !await HoldLeaseAsync(slot, cancellationToken).ConfigureAwait(false))
        {
            // Another replica works on this entity; check again next poll, and take over once its lease expires.
            return default;
        }

        // Seeds and re-seeds give way to every delta read when the request budget runs short.
        using var priority = SourcePriorityScope.Enter(PriorityOf(agent.State));

        // Metadata is read again when the cheap check says it changed (schema drift, renamed labels) and after a failure,
        // which may have been a schema change.
        var changed = await _metadata.TakeChangeAsync(agent.EntityName, cancellationToken).ConfigureAwait(false);
        if (!slot.Prepared || changed)
        {
            await agent.PrepareAsync(null, cancellationToken).ConfigureAwait(false);
            slot.Prepared = true;
        }

        var started = _time.GetTimestamp();
        var result = await agent.RunCycleAsync(cancellationToken).ConfigureAwait(false);
        if (result.HadChanges || result.Seeded)
        {
            Log.CycleCompleted(_log, agent.EntityName, result.Upserts, result.Deletes, result.Pages,
                _time.GetElapsedTime(started).TotalMilliseconds, agent.State.LastLagSeconds ?? 0);
        }

        return result;
    }

    /// <summary>Background while the entity is (or resumes) seeding or re-seeding; streaming otherwise.</summary>
    private static SourcePriority PriorityOf(EntityState state)
    {
        var status = state.Status == EntityStatus.Failed ? state.ResumeStatus ?? EntityStatus.New : state.Status;
        return status is EntityStatus.New or EntityStatus.Seeding or EntityStatus.Reseeding ? SourcePriority.Background : SourcePriority.Streaming;
    }

    private async Task<bool> HoldLeaseAsync(AgentSlot slot, CancellationToken cancellationToken)
    {
        var agent = slot.Agent;
        if (!slot.HoldsLease)
        {
            // Share entities between replicas: a replica that already holds N leases lets N polls pass before it
            // reaches for another free one, so idle replicas get there first.
            var holding = _agents.Values.Count(s => s.HoldsLease);
            if (slot.LeaseDeferrals < holding)
            {
                slot.LeaseDeferrals++;
                return false;
            }

            slot.LeaseDeferrals = 0;
        }

        var held = await _target.TryAcquireLeaseAsync(agent.EntityName, _workerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (!held)
        {
            Forget(slot);
            return false;
        }

        if (!slot.HoldsLease)
        {
            // The agent reloads the state row at the start of every cycle, so whatever another replica committed while it
            // held the lease is where this one continues; its metadata refresh catches any drift that replica applied.
            Log.LeaseTaken(_log, agent.EntityName, _workerId);
            slot.HoldsLease = true;
        }

        return true;
    }

    private async Task ReleaseLeasesAsync()
    {
        foreach (var slot in _agents.Values.Where(s => s.HoldsLease))
        {
            try
            {
                await _target.ReleaseLeaseAsync(slot.Agent.EntityName, _workerId, CancellationToken.None).ConfigureAwait(false);
                slot.HoldsLease = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The lease expires on its own; releasing only lets another replica start sooner.
                Log.LeaseLost(_log, slot.Agent.EntityName, ex.Message);
            }
        }
    }

    private const int StartupAttempts = 6;

    /// <summary>How often a one-off pass takes a lost lease again before it reports the entity failed.</summary>
    private const int LeaseAttempts = 5;

    /// <summary>
    /// How soon a replica asks again for a lease it does not hold: independent of a long poll interval (hints make 60 s
    /// polls reasonable), so a free entity is started, and a dead replica's entity taken over, within a lease period.
    /// </summary>
    private TimeSpan LeaseRetryInterval()
    {
        var retry = TimeSpan.FromTicks(Math.Min(_options.LeaseDuration.Ticks / 3, TimeSpan.FromSeconds(1).Ticks));
        return retry < _options.SlowestPoll ? retry : _options.SlowestPoll;
    }

    private TimeSpan FailureDelay(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.FailureBackoff.Ticks * factor, _options.MaxFailureBackoff.Ticks));
        return delay;
    }

    private sealed class AgentSlot(EntitySyncAgent agent, EntitySchedule schedule)
    {
        public EntitySyncAgent Agent { get; } = agent;
        public EntitySchedule Schedule { get; } = schedule;
        public bool Prepared { get; set; }
        public bool HoldsLease { get; set; }
        public int LeaseDeferrals { get; set; }
    }
}
