using ReportingSync.DataverseSimulator.Hosting;

namespace ReportingSync.Tests.Simulator.Support;

/// <summary>Starts small simulators for tests: a handful of tables with few rows, so each host starts in milliseconds.</summary>
internal static class SimulatorFactory
{
    public static readonly string[] SmallModel = ["contact", "account", "systemuser", "dfeta_induction", "dfeta_qtsregistration", "transactioncurrency"];

    public static async Task<SimulatorHost> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions
        {
            Entities = SmallModel,
            RowCounts = new Dictionary<string, int>
            {
                ["contact"] = 120,
                ["account"] = 15,
                ["systemuser"] = 5,
                ["dfeta_induction"] = 40,
                ["dfeta_qtsregistration"] = 40,
                ["transactioncurrency"] = 2,
            },
        };
        configure?.Invoke(options);
        return await SimulatorHost.StartAsync(options);
    }

    public static HttpClient Client(SimulatorHost host) => new() { BaseAddress = host.WebApiUrl };
}
