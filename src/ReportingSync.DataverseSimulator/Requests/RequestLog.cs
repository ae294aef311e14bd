namespace ReportingSync.DataverseSimulator.Requests;

/// <summary>Every request the simulator answered, including 429s and injected faults. Thread-safe; resettable.</summary>
internal sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RequestLogEntry> _entries = [];
    private long _sequence;

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void Add(RequestLogEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    /// <summary>A snapshot of the log in completion order.</summary>
    public IReadOnlyList<RequestLogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Entries in arrival order (sequence), optionally for one entity set and/or kind.</summary>
    public IReadOnlyList<RequestLogEntry> Query(string? entitySet = null, RequestKind? kind = null) =>
        Entries
            .Where(e => entitySet is null || e.EntitySet == entitySet)
            .Where(e => kind is null || e.Kind == kind)
            .OrderBy(e => e.Sequence)
            .ToList();

    public void Reset()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
