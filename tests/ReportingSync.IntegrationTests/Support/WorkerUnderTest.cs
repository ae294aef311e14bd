using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Engine;
using ReportingSync.Hosting;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// The worker in process, composed exactly as the executable composes it (<see cref="WorkerHost.AddWorkerServices"/>:
/// the real Dataverse client, target and engine), pointed at a simulator and a reporting database.
/// <see cref="StartAsync"/> is what <c>reportingsync run</c> does before its first cycle (preflight, then tables,
/// metadata tables and label views); <see cref="PassAsync"/> is one whole <c>reportingsync run --once</c>.
/// </summary>
internal sealed class WorkerUnderTest : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private WorkerUnderTest(ServiceProvider services)
    {
        _services = services;
        Supervisor = services.GetRequiredService<SyncSupervisor>();
    }

    public SyncSupervisor Supervisor { get; }

    /// <summary>The worker's container (the target, the source, options), for assertions.</summary>
    public IServiceProvider Services => _services;

    private static CancellationToken Ct => CancellationToken.None;

    public static WorkerUnderTest Create(
        SimulatorHost simulator, string provider, string connectionString, IReadOnlyList<string> entities, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ReportingSync:Dataverse:Url"] = simulator.BaseUrl,
            ["ReportingSync:Dataverse:Auth:Mode"] = "None",
            ["ReportingSync:Dataverse:RetryBaseDelay"] = "00:00:00.010",
            ["ReportingSync:Dataverse:RetryMaxDelay"] = "00:00:00.100",
            ["ReportingSync:Target:Provider"] = provider,
            ["ReportingSync:Target:ConnectionString"] = connectionString,
        };
        for (var i = 0; i < entities.Count; i++)
        {
            values[$"ReportingSync:Entities:{i.ToString(CultureInfo.InvariantCulture)}"] = entities[i];
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var services = new ServiceCollection().AddLogging();
        WorkerHost.AddWorkerServices(services, new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return new WorkerUnderTest(services.BuildServiceProvider());
    }

    /// <summary>One <c>run --once</c>: start, one pass; every entity must succeed.</summary>
    public static async Task<IReadOnlyList<EntityOutcome>> PassAsync(
        SimulatorHost simulator, string provider, string connectionString, IReadOnlyList<string> entities, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await using var worker = Create(simulator, provider, connectionString, entities, settings);
        await worker.StartAsync();
        return await worker.RunOnceAsync();
    }

    /// <summary>Preflight, then create the state tables, entity tables, metadata tables and label views.</summary>
    public async Task StartAsync()
    {
        var schemas = await Supervisor.PreflightAsync(Ct);
        await Supervisor.InitializeAsync(schemas, Ct);
    }

    /// <summary>One pass over every entity (seed if needed, then one delta read); fails on any entity's error.</summary>
    public async Task<IReadOnlyList<EntityOutcome>> RunOnceAsync()
    {
        var outcomes = await Supervisor.RunOnceAsync(Ct);
        outcomes.Where(o => !o.Succeeded).Select(o => $"{o.Entity}: {o.Error}").Should().BeEmpty();
        return outcomes;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
