namespace ReportingSync.Target;

/// <summary>The database could not be reached, logged into, or dropped the connection.</summary>
public sealed class TargetUnavailableException(string message, Exception? inner = null, bool isTransient = true)
    : TargetException(message, inner)
{
    public override bool IsTransient { get; } = isTransient;
}
