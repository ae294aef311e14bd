namespace ReportingSync.DataverseSimulator.Protection;

/// <summary>
/// The outcome of asking to start a request: admitted (dispose when the request ends, to release its concurrency
/// slot) or refused with the error code, message and Retry-After to send.
/// </summary>
internal sealed class Admission(Action? release, string? code = null, string? message = null, TimeSpan? retryAfter = null) : IDisposable
{
    private Action? _release = release;

    public bool Admitted => Code is null;

    public string? Code { get; } = code;

    public string? Message { get; } = message;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
