namespace ReportingSync.Target;

/// <summary>
/// A row of <c>reportingsync.Command</c>: a request written by the CLI (or the status page) and picked up by whichever
/// running worker owns the entity.
/// </summary>
public sealed record SyncCommand
{
    public long Id { get; init; }
    public required string EntityName { get; init; }

    /// <summary>What to do; currently <c>Reseed</c>.</summary>
    public required string Kind { get; init; }

    public DateTime RequestedUtc { get; init; }
    public string? RequestedBy { get; init; }

    /// <summary><c>Pending</c> → <c>Running</c> (picked up) → <c>Completed</c> | <c>Failed</c>.</summary>
    public string Status { get; init; } = "Pending";

    public string? PickedUpBy { get; init; }
    public DateTime? PickedUpUtc { get; init; }
    public DateTime? CompletedUtc { get; init; }
    public string? Detail { get; init; }
}
