namespace ReportingSync.Target;

/// <summary>Another writer moved the entity's cursor (a second replica, a double run). The page was not written.</summary>
public sealed class CursorConflictException(string entity)
    : TargetException($"The stored cursor for '{entity}' is not the one this worker read from; another worker may be syncing it. Nothing was written.")
{
    public string Entity { get; } = entity;
    public override bool IsTransient => false;
}
