using ReportingSync.Model;

namespace ReportingSync.Cli;

/// <summary>One entity as <c>status</c> shows it (also its JSON shape).</summary>
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
    IReadOnlyList<BlockingObject> ReseedBlockedBy,
    DateTime? ReseedBlockedUtc)
{
    public static EntityStatusRow From(string entity, EntityState? state, long? rows, DateTime nowUtc)
    {
        if (state is null)
        {
            return new(entity, "NotStarted", null, 0, null, null, null, null, null, null, null, null, [], null);
        }

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
            state.ReseedBlocked?.Objects ?? [],
            state.ReseedBlocked?.SinceUtc);
    }
}
