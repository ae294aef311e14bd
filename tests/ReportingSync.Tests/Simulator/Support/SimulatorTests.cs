using Microsoft.Extensions.Time.Testing;
using ReportingSync.DataverseSimulator.Hosting;

namespace ReportingSync.Tests.Simulator.Support;

/// <summary>
/// Base of test classes that talk to a fresh small simulator per test over HTTP: <see cref="Client"/> on the Web API,
/// <see cref="Admin"/> on the admin API, options from <see cref="Configure"/> (set <c>TimeProvider = Clock</c> to move
/// the simulator clock by hand).
/// </summary>
public abstract class SimulatorTests : IAsyncLifetime
{
    private protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero));

    private protected SimulatorHost Host { get; private set; } = null!;

    private protected HttpClient Client { get; private set; } = null!;

    private protected HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await SimulatorFactory.StartAsync(Configure);
        Client = SimulatorFactory.Client(Host);
        Admin = new HttpClient { BaseAddress = new Uri(Host.BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await Host.DisposeAsync();
    }

    private protected virtual void Configure(SimulatorOptions options)
    {
    }
}
