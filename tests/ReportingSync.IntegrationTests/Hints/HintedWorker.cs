using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Hints;
using ReportingSync.Hosting;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Hints;

/// <summary>
/// The worker as <c>run</c> composes it (WorkerHost, validation, preflight, MapHintEndpoints, hosted services), in
/// process, so a test can reach its HTTP address, its hint sink and its supervisor.
/// </summary>
internal sealed class HintedWorker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private HintedWorker(WebApplication app) => _app = app;

    public SyncSupervisor Supervisor => _app.Services.GetRequiredService<SyncSupervisor>();

    public IReportingTarget Target => _app.Services.GetRequiredService<IReportingTarget>();

    public Source.IChangeSource Source => _app.Services.GetRequiredService<Source.IChangeSource>();

    public HintSink Sink => _app.Services.GetRequiredService<HintSink>();

    public IServiceProvider Services => _app.Services;

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public static async Task<HintedWorker> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WorkerHost.CreateBuilder(new HostSettings { Overrides = new Dictionary<string, string?>(settings) });
        configure?.Invoke(builder);
        var app = builder.Build();
        var worker = new HintedWorker(app);
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        var schemas = await worker.Supervisor.PreflightAsync(CancellationToken.None);
        await worker.Supervisor.InitializeAsync(schemas, CancellationToken.None);
        app.MapHintEndpoints();
        await app.StartAsync();
        worker.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        worker._loop = Task.Run(() => worker.Supervisor.RunAsync(worker._stop.Token));
        return worker;
    }

    /// <summary>Waits until every entity has seeded and finished at least one delta read after it.</summary>
    public async Task WaitUntilStreamingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var states = Supervisor.States;
            if (states.All(s => s.Status == Model.EntityStatus.Streaming && s.LastSyncUtc is not null))
            {
                return;
            }

            if (_loop is { IsCompleted: true })
            {
                await _loop;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The worker did not reach streaming in time: " +
            string.Join(", ", Supervisor.States.Select(s => $"{s.EntityName}={s.Status} {s.LastError}")));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }
}
