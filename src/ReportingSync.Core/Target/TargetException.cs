namespace ReportingSync.Target;

/// <summary>Base of errors the target reports. Messages never contain connection strings or passwords.</summary>
public abstract class TargetException(string message, Exception? inner = null) : Exception(message, inner)
{
    public abstract bool IsTransient { get; }
}
