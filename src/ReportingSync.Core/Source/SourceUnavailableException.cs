namespace ReportingSync.Source;

/// <summary>The source could not be reached or kept failing after retries (network, 5xx, timeouts, auth).</summary>
public sealed class SourceUnavailableException(string message, Exception? inner = null, bool isTransient = true)
    : SourceException(message, inner)
{
    public override bool IsTransient { get; } = isTransient;
}
