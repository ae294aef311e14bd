namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>What the stub answers: status, headers, a body, and optionally a delay, gzip, or a truncated body.</summary>
internal sealed record StubResponse(int Status, string Body)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public TimeSpan Delay { get; init; }
    public bool Gzip { get; init; }

    /// <summary>Send only this many bytes of the body, then reset the connection.</summary>
    public int? TruncateAt { get; init; }

    public static StubResponse Ok(string body) => new(200, body);

    /// <summary>Dataverse's error shape: <c>{"error":{"code":"0x...","message":"..."}}</c>.</summary>
    public static StubResponse Error(int status, string code, string message) =>
        new(status, $$$"""{"error":{"code":"{{{code}}}","message":"{{{message}}}"}}""");

    public static StubResponse Throttled(string? retryAfter) => Error(429, "0x80072322",
        "Number of requests exceeded the limit of 6000 over time window of 300 seconds.") with
    {
        Headers = retryAfter is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Retry-After"] = retryAfter },
    };
}
