namespace ReportingSync.Dataverse;

/// <summary>
/// HTTP 429. By the time this is thrown the <see cref="ServiceProtectionGate"/> already holds every request back for
/// the pause Dataverse asked for, so the retry itself waits at the gate, not in the retry strategy.
/// </summary>
internal sealed class ThrottledException(string description, TimeSpan pause) : Exception(description)
{
    public TimeSpan Pause { get; } = pause;
}
