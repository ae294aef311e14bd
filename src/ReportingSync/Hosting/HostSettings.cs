namespace ReportingSync.Hosting;

/// <summary>How a command wants the worker host built.</summary>
internal sealed record HostSettings
{
    /// <summary>The <c>--config</c> file, if given.</summary>
    public FileInfo? ConfigFile { get; init; }

    /// <summary>Settings that win over every other source (the demo uses them to point at its simulator).</summary>
    public IReadOnlyDictionary<string, string?>? Overrides { get; init; }
}
