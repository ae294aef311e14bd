namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>A request as the stub saw it. <see cref="RawTarget"/> is the request-line target, byte for byte.</summary>
internal sealed record RecordedRequest(
    int Index, string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, TimeSpan ArrivedAt)
{
    public TimeSpan? RespondedAt { get; set; }

    public string Path => RawTarget.Split('?')[0];

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    /// <summary>The value of a query option as sent (still encoded).</summary>
    public string? RawQueryOption(string name) =>
        RawTarget.Contains('?')
            ? RawTarget[(RawTarget.IndexOf('?') + 1)..].Split('&').Where(p => p.StartsWith(name + "=", StringComparison.Ordinal))
                .Select(p => p[(name.Length + 1)..]).FirstOrDefault()
            : null;
}
