using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.ChangeTracking;

/// <summary>
/// Makes a steady stream of realistic changes: about 20% creates, 70% updates of 1–5 columns, 10% deletes, over the
/// chosen tables. The sequence of choices is deterministic from the seed; the pacing follows the clock. Tests can
/// also call <see cref="Step"/> to make changes synchronously.
/// </summary>
internal sealed class ChangeGenerator(SimulatorStore store, int seed, TimeProvider time) : IAsyncDisposable
{
    private static readonly HashSet<string> SystemColumns = new(StringComparer.Ordinal)
    {
        "versionnumber", "createdon", "modifiedon", "statecode", "statuscode", "createdby", "overriddencreatedon",
    };

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private readonly List<GeneratedChange> _changes = [];
    private CellRandom _random = new(StableHash.Combine(StableHash.Mix((ulong)seed), StableHash.Of("change-generator")));
    private int _variant;
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private volatile bool _paused;

    public bool IsRunning => _loop is { IsCompleted: false };

    public bool IsPaused => _paused;

    public double ChangesPerSecond { get; private set; }

    public IReadOnlyList<string> TargetEntities { get; private set; } = [];

    public int Creates { get; private set; }

    public int Updates { get; private set; }

    public int Deletes { get; private set; }

    public int ChangesMade => Creates + Updates + Deletes;

    /// <summary>Every change made so far, in order.</summary>
    public IReadOnlyList<GeneratedChange> Changes
    {
        get
        {
            lock (_gate)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>
    /// Starts generating <paramref name="changesPerSecond"/> changes over the tables given (default: every served table
    /// with rows). Throws when already running: stop it first to change rate or tables.
    /// </summary>
    public void Start(double changesPerSecond, IReadOnlyCollection<string>? entities = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(changesPerSecond);
        if (_stop is not null)
        {
            throw new InvalidOperationException("The change generator is already running; stop it before starting it again.");
        }

        ChangesPerSecond = changesPerSecond;
        TargetEntities = ResolveEntities(entities);
        _paused = false;
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
    }

    public void Pause() => _paused = true;

    public void Resume() => _paused = false;

    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _loop!;
        }
        catch (OperationCanceledException)
        {
            // Stopping is the normal way out of the loop.
        }

        _stop.Dispose();
        _stop = null;
        _loop = null;
    }

    /// <summary>Makes <paramref name="count"/> changes now over the given tables (default: the running set, else all with rows).</summary>
    public IReadOnlyList<GeneratedChange> Step(int count, IReadOnlyCollection<string>? entities = null)
    {
        var targets = entities is not null || TargetEntities.Count == 0 ? ResolveEntities(entities) : TargetEntities;
        var made = new List<GeneratedChange>();
        for (var i = 0; i < count; i++)
        {
            if (MakeChange(targets) is { } change)
            {
                made.Add(change);
            }
        }

        return made;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        var owed = 0.0;
        var last = time.GetTimestamp();
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(last, now);
            last = now;
            if (_paused)
            {
                continue;
            }

            owed += elapsed.TotalSeconds * ChangesPerSecond;
            // Checking the pause flag per change keeps Pause prompt even when a slow tick owes a burst.
            while (owed >= 1 && !_paused && !cancellationToken.IsCancellationRequested)
            {
                MakeChange(TargetEntities);
                owed--;
            }
        }
    }

    private GeneratedChange? MakeChange(IReadOnlyList<string> entities)
    {
        lock (_gate)
        {
            if (entities.Count == 0)
            {
                return null;
            }

            var entity = entities[_random.Next(entities.Count)];
            var roll = _random.NextDouble();
            GeneratedChange? change = roll switch
            {
                < 0.2 => Created(store.CreateGenerated(entity)),
                < 0.9 => Update(entity),
                _ => Delete(entity),
            };
            if (change is not null)
            {
                _changes.Add(change);
            }

            return change;
        }
    }

    private GeneratedChange Created(StoreChange change)
    {
        Creates++;
        return new GeneratedChange(change.At, change.Entity, change.Id, ChangeKind.Create, change.Version);
    }

    private GeneratedChange? Update(string entity)
    {
        if (store.PickRow(entity, ref _random) is not { } row || store.FindTable(entity) is not { } table)
        {
            return null;
        }

        var schema = table.Schema;
        var candidates = schema.Definition.Attributes
            .Where(a => a.IsDataColumn && !a.IsPrimaryId && !SystemColumns.Contains(a.LogicalName))
            .ToList();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var columns = Math.Min(candidates.Count, _random.Between(1, 5));
        var variant = ++_variant;
        while (values.Count < columns)
        {
            var attribute = candidates[_random.Next(candidates.Count)];
            var generator = ColumnClassifier.For(schema.Definition, attribute);
            values[attribute.LogicalName] = store.Generator.Generate(schema.Definition, generator, Math.Max(0, row.GenIndex), variant);
        }

        var version = store.Update(entity, row.Id, values);
        Updates++;
        return new GeneratedChange(time.GetUtcNow(), entity, row.Id, ChangeKind.Update, version);
    }

    private GeneratedChange? Delete(string entity)
    {
        if (store.PickRow(entity, ref _random) is not { } row)
        {
            return null;
        }

        var version = store.Delete(entity, row.Id);
        Deletes++;
        return new GeneratedChange(time.GetUtcNow(), entity, row.Id, ChangeKind.Delete, version);
    }

    private List<string> ResolveEntities(IReadOnlyCollection<string>? entities)
    {
        if (entities is null)
        {
            return store.Entities.Where(e => store.Count(e.LogicalName) > 0).Select(e => e.LogicalName).ToList();
        }

        foreach (var entity in entities)
        {
            _ = store.FindEntity(entity) ?? throw new KeyNotFoundException($"The simulator does not serve table '{entity}'.");
        }

        return [.. entities];
    }
}
