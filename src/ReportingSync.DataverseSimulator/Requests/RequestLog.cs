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

    /// <summary>
    /// Web API requests that arrived before the Retry-After of an earlier 429 had elapsed (counted from when that
    /// 429 was sent), each paired with the refusal it ignored. Users are not told apart (the log never keeps
    /// Authorization values), so use one identity per test.
    /// </summary>
    /// <param name="deliveryAllowance">
    /// Requests already on their way when the 429 left the server cannot honour it: a request arriving within this
    /// time after the refusal was sent counts as in flight (default 500 ms), unless it repeats the refused request,
    /// which is a retry and always counts. The default is generous because on a loaded 2-core CI machine a client
    /// thread was seen taking 131 ms between the server sending a 429 and the client reading its headers; a client
    /// that ignores the pause still shows up, since it keeps sending for the rest of the Retry-After (1 s or more).
    /// </param>
    public IReadOnlyList<(RequestLogEntry Refused, RequestLogEntry Early)> EarlyRetries(TimeSpan? deliveryAllowance = null)
    {
        var allowance = deliveryAllowance ?? TimeSpan.FromMilliseconds(500);
        var entries = Query().Where(e => e.Kind is not (RequestKind.Admin or RequestKind.Other)).ToList();
        var violations = new List<(RequestLogEntry, RequestLogEntry)>();
        foreach (var refused in entries.Where(e => e.StatusCode == 429 && e.RetryAfter is not null))
        {
            var allowedFrom = refused.CompletedAt + refused.RetryAfter!.Value;
            violations.AddRange(entries
                .Where(e => e.Sequence > refused.Sequence && e.ArrivedAt < allowedFrom)
                .Where(e => e.RawTarget == refused.RawTarget || e.ArrivedAt >= refused.CompletedAt + allowance)
                .Select(e => (refused, e)));
        }

        return violations;
    }

    /// <summary>
    /// The most Web API data requests (initial, delta and query reads) the simulator was answering at one instant,
    /// from each entry's arrival and completion: what a client's concurrency limit looks like from the server's side.
    /// </summary>
    public int MaxInFlight()
    {
        // Completions sort before arrivals at the same instant: a slot freed and taken again is not an overlap.
        var events = Entries
            .Where(e => e.Kind is RequestKind.Initial or RequestKind.Delta or RequestKind.Query)
            .SelectMany(e => new[] { (At: e.ArrivedAt, Step: 1), (At: e.CompletedAt, Step: -1) })
            .OrderBy(e => e.At)
            .ThenBy(e => e.Step);
        int current = 0, most = 0;
        foreach (var (_, step) in events)
        {
            current += step;
            most = Math.Max(most, current);
        }

        return most;
    }

    /// <summary>
    /// The busiest stretch of Web API traffic (the simulator's own /admin and unknown paths left out): the window of
    /// length <paramref name="window"/> in which the most requests arrived, with their split by kind. Dataverse limits
    /// each user to 6,000 requests in any 5-minute sliding window, so a budget assertion reads
    /// <c>BusiestWindow(TimeSpan.FromMinutes(5)).Total &lt;= 300</c>. Empty when nothing arrived.
    /// </summary>
    public RequestWindow BusiestWindow(TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var arrivals = Query().Where(IsWebApi).OrderBy(e => e.ArrivedAt).ToList();
        int best = 0, bestStart = 0;
        for (int start = 0, end = 0; start < arrivals.Count; start++)
        {
            while (end < arrivals.Count && arrivals[end].ArrivedAt < arrivals[start].ArrivedAt + window)
            {
                end++;
            }

            if (end - start > best)
            {
                (best, bestStart) = (end - start, start);
            }
        }

        var from = arrivals.Count == 0 ? DateTimeOffset.MinValue : arrivals[bestStart].ArrivedAt;
        return Count(arrivals.Skip(bestStart).Take(best), from, arrivals.Count == 0 ? from : from + window);
    }

    /// <summary>Web API requests that arrived in [<paramref name="from"/>, <paramref name="to"/>), by kind.</summary>
    public RequestWindow Between(DateTimeOffset from, DateTimeOffset to) =>
        Count(Query().Where(e => IsWebApi(e) && e.ArrivedAt >= from && e.ArrivedAt < to), from, to);

    private static bool IsWebApi(RequestLogEntry entry) => entry.Kind is not (RequestKind.Admin or RequestKind.Other);

    private static RequestWindow Count(IEnumerable<RequestLogEntry> entries, DateTimeOffset from, DateTimeOffset to)
    {
        var byKind = entries.GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => g.Count());
        return new RequestWindow(from, to, byKind.Values.Sum(), byKind);
    }

    public void Reset()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
