namespace ReportingSync.Dataverse;

/// <summary>One attempt took longer than <see cref="DataverseOptions.RequestTimeout"/> (not the caller's cancellation).</summary>
internal sealed class RequestTimeoutException(TimeSpan timeout)
    : TimeoutException($"No complete answer within {timeout.TotalSeconds:0.#} s (ReportingSync:Dataverse:RequestTimeout).")
{
}
