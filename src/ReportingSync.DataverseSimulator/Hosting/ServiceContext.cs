using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.Hosting;

/// <summary>What the endpoints share: the store, the options, the clock and the organisation URL links are built on.</summary>
internal sealed class ServiceContext(SimulatorStore store, SimulatorOptions options)
{
    public SimulatorStore Store { get; } = store;

    public SimulatorOptions Options { get; } = options;

    public TimeProvider Time => Options.TimeProvider;

    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The organisation's id (<see cref="SimulatorOptions.OrganizationId"/>, else derived from the seed).</summary>
    public Guid OrganizationId { get; } = options.OrganizationId ?? store.Generator.PseudoRowId("organization", 0);

    /// <summary>The organisation URL, e.g. <c>http://127.0.0.1:41234</c>; known once Kestrel is listening.</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1";

    private static readonly AsyncLocal<string?> Origin = new();

    /// <summary>
    /// <c>scheme://host:port</c> the current Web API request was sent to. Links are built from it, as an OData service
    /// builds them from the request URL: a client that uses another of the organisation's URLs (a host alias) gets links
    /// under that URL.
    /// </summary>
    public static string? RequestOrigin
    {
        get => Origin.Value;
        set => Origin.Value = value;
    }

    /// <summary><c>{origin}/api/data/v9.2/</c>, the origin being the request's (else <see cref="BaseUrl"/>).</summary>
    public string ApiRoot => (RequestOrigin ?? BaseUrl) + "/api/data/v9.2/";

    public string MetadataContext(string fragment) => ApiRoot + "$metadata#" + fragment;
}
