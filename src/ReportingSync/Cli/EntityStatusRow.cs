using ReportingSync.Model;
using ReportingSync.Operations;
using ReportingSync.Target;

namespace ReportingSync.Cli;

/// <summary>
/// One entity as <c>status</c> shows it (also its JSON shape). The poll interval and the request figures come from the
/// report of the replica that reads the entity (<see cref="WorkerReport"/>), null when no running replica does.
/// </summary>
internal sealed record EntityStatusRow(
    string Entity,
    string Status,
    long? Rows,
    long SeedRowsCopied,
    long? SeedRowsEstimated,
    DateTime? LastSyncUtc,
    double? SecondsSinceLastSync,
    DateTime? LastSourceChangeUtc,
    double? LagSeconds,
    string? LastError,
    DateTime? LastErrorUtc,
    string? LeaseOwner,
    double? PollIntervalSeconds = null,
    long? WorkerRequestsLast5Minutes = null,
    double? WorkerBudgetUsedPercent = null)
{
    public static EntityStatusRow From(string entity, EntityState? state, long? rows, DateTime nowUtc, IReadOnlyList<WorkerReport> reports)
    {
        if (state is null)
        {
            return new(entity, "NotStarted", null, 0, null, null, null, null, null, null, null, null);
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
            state.LastSyncUtc is { } s ? (nowUtc - s).TotalSeconds : null,
            state.LastSourceChangeUtc,
            // Lag as ops read it: how far the replica's newest change is behind the clock.
            state.LastSourceChangeUtc is { } c ? (nowUtc - c).TotalSeconds : null,
            state.LastError,
            state.LastErrorUtc,
            state.LeaseOwner,
            interval,
            budget?.RequestsLastFiveMinutes,
            budget?.UsedPercent);
    }
}
