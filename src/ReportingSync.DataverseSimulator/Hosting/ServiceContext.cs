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

    /// <summary><c>{BaseUrl}/api/data/v9.2/</c>.</summary>
    public string ApiRoot => BaseUrl + "/api/data/v9.2/";

    public string MetadataContext(string fragment) => ApiRoot + "$metadata#" + fragment;
}
