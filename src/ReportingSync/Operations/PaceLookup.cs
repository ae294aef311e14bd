using ReportingSync.Target;

namespace ReportingSync.Operations;

/// <summary>Which replica's report tells an entity's poll interval: the one holding its lease (any, with leases off).</summary>
internal static class PaceLookup
{
    /// <summary>The entity's poll interval in seconds from the fresh reports, or null when no running replica reads it.</summary>
    public static (double? Seconds, WorkerReport? Report) IntervalOf(
        string entity, string? leaseOwner, IReadOnlyList<WorkerReport> reports, DateTime nowUtc)
    {
        foreach (var report in reports.Where(r => r.IsFresh(nowUtc) && (leaseOwner is null || r.WorkerId == leaseOwner)))
        {
            if (report.PollIntervalSeconds.TryGetValue(entity, out var seconds))
            {
                return (seconds, report);
            }
        }

        return (null, null);
    }
}
