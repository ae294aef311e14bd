using ReportingSync.Model;
using ReportingSync.Operations;
using ReportingSync.Target;

namespace ReportingSync.Cli;

/// <summary>
/// One entity as <c>status</c> shows it (also its JSON shape). The poll interval and the request figures come from the
/// report of the replica that reads the entity (<see cref="WorkerReport"/>), null when no running replica does.
/// </summary>
/// <param name="StalenessSeconds">Seconds since the last completed read (the last delta read that reached its delta link).</param>
/// <param name="LagSeconds">
/// Seconds from the source <c>modifiedon</c> of the oldest change in the last committed page to its commit; 0 when the
/// last read found nothing new. Not the age of <paramref name="LastSourceChangeUtc"/>: a quiet table is not behind.
/// </param>
internal sealed record EntityStatusRow(
    string Entity,
    string Status,
    long? Rows,
    long SeedRowsCopied,
    long? SeedRowsEstimated,
    DateTime? LastSyncUtc,
    double? StalenessSeconds,
    double? LagSeconds,
    DateTime? LastSourceChangeUtc,
    string? LastError,
    DateTime? LastErrorUtc,
    string? LeaseOwner,
    IReadOnlyList<BlockingObject> ReseedBlockedBy,
    DateTime? ReseedBlockedUtc,
    double? PollIntervalSeconds = null,
    long? WorkerRequestsLast5Minutes = null,
    double? WorkerBudgetUsedPercent = null)
{
    public static EntityStatusRow From(string entity, EntityState? state, long? rows, DateTime nowUtc, IReadOnlyList<WorkerReport> reports)
    {
        if (state is null)
        {
            return new(entity, "NotStarted", null, 0, null, null, null, null, null, null, null, null, [], null);
        }

        var (interval, report) = PaceLookup.IntervalOf(entity, state.LeaseOwner, reports, nowUtc);
        var budget = report is null ? null : WorkerBudgetView.Of(report);
        return new(
            entity,
            state.Status.ToString(),
            rows,
            state.SeedRowsCopied,
            state.SeedRowsEstimated,
            state.LastSyncUtc,
            state.LastSyncUtc is { } s ? Math.Max(0, (nowUtc - s).TotalSeconds) : null,
            state.LastLagSeconds,
            state.LastSourceChangeUtc,
            state.LastError,
            state.LastErrorUtc,
            state.LeaseOwner,
            state.ReseedBlocked?.Objects ?? [],
            state.ReseedBlocked?.SinceUtc,
            interval,
            budget?.RequestsLastFiveMinutes,
            budget?.UsedPercent);
    }
}
