namespace ReportingSync.Target;

/// <summary>Another writer moved the entity's cursor (a second replica, a double run). The page was not written.</summary>
/// <remarks>Not sealed: <see cref="LeaseLostException"/> is the same outcome for a more specific reason.</remarks>
public class CursorConflictException : TargetException
{
    public CursorConflictException(string entity)
        : this(entity, $"The stored cursor for '{entity}' is not the one this worker read from; another worker may be syncing it. Nothing was written.")
    {
    }

    protected CursorConflictException(string entity, string message)
        : base(message)
    {
        Entity = entity;
    }

    public string Entity { get; }

    public override bool IsTransient => false;
}
