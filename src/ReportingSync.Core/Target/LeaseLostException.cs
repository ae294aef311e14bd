namespace ReportingSync.Target;

/// <summary>
/// A fenced write (<see cref="PageCommit.LeaseOwner"/>) found the entity's lease held by another owner or expired.
/// Nothing was written. It is a <see cref="CursorConflictException"/>, so code that handles a conflict handles this too;
/// catch it first to tell "another worker moved the cursor" from "this worker no longer owns the entity".
/// </summary>
public sealed class LeaseLostException(string entity, string owner)
    : CursorConflictException(
        entity,
        $"The lease on '{entity}' is no longer held by '{owner}' (taken by another worker, or expired); nothing was written.")
{
    public string Owner { get; } = owner;
}
