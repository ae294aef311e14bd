namespace ReportingSync.Engine.Scheduling;

/// <summary>
/// Owns when every entity reads next (one <see cref="EntitySchedule"/> each, between <see cref="SyncOptions.FastestPoll"/>
/// and <see cref="SyncOptions.SlowestPoll"/>), so that nothing else decides how often Dataverse is asked: the supervisor's
/// loops wait on it, push hints and commands wake through it, and the status page reads each entity's interval from it.
/// </summary>
internal sealed class PollScheduler(SyncOptions options, TimeProvider time)
{
    private readonly Dictionary<string, EntitySchedule> _entities = options.Entities.ToDictionary(
        e => e.Name, _ => new EntitySchedule(options.FastestPoll, options.SlowestPoll, time), StringComparer.OrdinalIgnoreCase);

    /// <summary>The entity's schedule; only configured entities have one.</summary>
    public EntitySchedule For(string entity) => _entities[entity];

    /// <summary>Wakes an entity for a hint; false when it is not configured.</summary>
    public bool Hint(string entity)
    {
        if (!_entities.TryGetValue(entity, out var schedule))
        {
            return false;
        }

        schedule.Hint();
        return true;
    }

    /// <summary>Each entity's current poll interval.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Intervals => _entities.ToDictionary(e => e.Key, e => e.Value.Interval, StringComparer.OrdinalIgnoreCase);
}
