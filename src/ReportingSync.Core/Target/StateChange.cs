using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>
/// One change of an entity's state row: a compare-and-set from <see cref="From"/> (its <see cref="EntityState.Revision"/>
/// must still be the stored one) to <see cref="To"/>, fenced by <see cref="Fence"/> when leases are on. Every writer of
/// the state row goes through one of these: page commits, failures, re-seed start and swap, shadow tables, command
/// claims and completions, repairs. A history entry and command updates ride in the same transaction.
/// </summary>
/// <exception cref="CursorConflictException">Thrown by the target when the stored revision is not <see cref="From"/>'s.</exception>
/// <exception cref="LeaseLostException">Thrown by the target when the fence fails (another owner, or expired).</exception>
public sealed record StateChange(EntityState From, EntityState To)
{
    public LeaseFence? Fence { get; init; }

    /// <summary>Appended to SyncHistory when the change applies.</summary>
    public SyncHistoryEntry? History { get; init; }

    public CommandUpdate? Commands { get; init; }

    /// <summary>
    /// The row as stored after the change: <see cref="To"/> at the next revision. Its lease columns are as <see cref="To"/>
    /// has them; the stored ones are written only by lease operations and the fence (see <see cref="EntityState.LeaseOwner"/>).
    /// </summary>
    public EntityState Stored => To with { Revision = From.Revision + 1, EntityName = From.EntityName };
}
