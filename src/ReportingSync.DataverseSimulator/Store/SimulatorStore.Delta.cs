namespace ReportingSync.DataverseSimulator.Store;

internal sealed partial class SimulatorStore
{
    /// <summary>
    /// Changes of a table with versions in (<paramref name="since"/>, <paramref name="upTo"/>]: changed rows with the
    /// state they have now, sorted by the version of their last change, then deletes (Microsoft: "all new or updated
    /// items first, sorted by version number, then all deleted items"). A row created and deleted in the window is only
    /// a delete. Deletes are tracked apart from rows, as Dataverse keeps deleted records in a tracking table of their
    /// own: a row deleted and restored in the window is therefore both a changed row and, last, a delete. The result is
    /// cached so the pages of one delta read see one consistent list.
    /// </summary>
    internal DeltaCacheEntry ComputeDelta(TableData table, long since, long upTo)
    {
        if (table.LastDelta is { } cached && cached.Since == since && cached.UpTo == upTo)
        {
            return cached;
        }

        var last = new Dictionary<UInt128, ChangeEntry>();
        var lastDelete = new Dictionary<UInt128, long>();
        lock (_gate)
        {
            var log = table.ChangeLog;
            var start = FirstAfter(log, since);
            for (var i = start; i < log.Count && log[i].Version <= upTo; i++)
            {
                last[log[i].Key] = log[i];
                if (log[i].Kind == ChangeKind.Delete)
                {
                    lastDelete[log[i].Key] = log[i].Version;
                }
            }
        }

        var changed = new List<DeltaItem>();
        var deleted = new List<DeltaItem>();
        foreach (var (key, entry) in last)
        {
            var row = entry.Kind == ChangeKind.Delete ? null : table.Find(key);
            if (row is { } r)
            {
                changed.Add(new DeltaItem(key, false, r, entry.Version));
                if (lastDelete.TryGetValue(key, out var deletedAt))
                {
                    deleted.Add(new DeltaItem(key, true, default, deletedAt));
                }
            }
            else
            {
                deleted.Add(new DeltaItem(key, true, default, lastDelete.GetValueOrDefault(key, entry.Version)));
            }
        }

        changed.Sort((a, b) => a.Version.CompareTo(b.Version));
        deleted.Sort((a, b) => a.Version.CompareTo(b.Version));
        var result = new DeltaCacheEntry(since, upTo, [.. changed, .. deleted]);
        table.LastDelta = result;
        return result;
    }

    /// <summary>Expires every delta token issued so far (tokens issued afterwards are valid), like a full-sync demand.</summary>
    public void ExpireAllTokens()
    {
        lock (_gate)
        {
            RetentionFloor = ++_version;
        }
    }

    /// <summary>The effective expiry floor for a table: the organisation floor or the table's own, whichever is later.</summary>
    internal long TrackingFloorOf(TableData table)
    {
        lock (_gate)
        {
            return Math.Max(RetentionFloor, table.TrackingFloor);
        }
    }

    private static int FirstAfter(List<ChangeEntry> log, long version)
    {
        int lo = 0, hi = log.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (log[mid].Version <= version)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
