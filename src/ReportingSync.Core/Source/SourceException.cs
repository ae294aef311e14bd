namespace ReportingSync.Source;

/// <summary>Base of errors the source reports. Messages never contain credentials or tokens.</summary>
public abstract class SourceException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when retrying later may succeed without anyone changing anything.</summary>
    public abstract bool IsTransient { get; }
}
