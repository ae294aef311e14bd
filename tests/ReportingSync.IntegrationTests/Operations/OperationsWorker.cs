using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Engine;
using ReportingSync.Hosting;

namespace ReportingSync.IntegrationTests.Operations;

/// <summary>
/// The worker as <c>reportingsync run</c> composes it (<see cref="WorkerHost.CreateBuilder"/>: configuration, engine,
/// HTTP side, MeterProvider), in process, with an OpenTelemetry in-memory exporter added to the same MeterProvider, its
/// HTTP side started on a free loopback port (read back from the server, as the executable logs it) and the supervisor
/// looping like <c>run</c>.
/// </summary>
internal sealed class OperationsWorker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<MetricSnapshot> _exported = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private OperationsWorker(WebApplication app, List<MetricSnapshot> exported)
    {
        _app = app;
        _exported = exported;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public IServiceProvider Services => _app.Services;

    public static async Task<OperationsWorker> StartAsync(
        SimulatorHost simulator, string provider, string connectionString, IReadOnlyList<string> entities, IReadOnlyDictionary<string, string?>? settings = null,
        ICollection<Activity>? spans = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ReportingSync:Dataverse:Url"] = simulator.BaseUrl,
            ["ReportingSync:Dataverse:Auth:Mode"] = "None",
            ["ReportingSync:Dataverse:RetryBaseDelay"] = "00:00:00.050",
            ["ReportingSync:Dataverse:RetryMaxDelay"] = "00:00:00.500",
            ["ReportingSync:Target:Provider"] = provider,
            ["ReportingSync:Target:ConnectionString"] = connectionString,
            ["ReportingSync:PollInterval"] = "00:00:00.250",
            ["ReportingSync:FailureBackoff"] = "00:00:00.100",
            ["ReportingSync:MaxFailureBackoff"] = "00:00:01",
            ["ReportingSync:Http:StatusRefresh"] = "00:00:00.500",
            ["ReportingSync:Http:ReadinessCacheTime"] = "00:00:00",
            ["ReportingSync:Http:ReadinessTimeout"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < entities.Count; i++)
        {
            values[$"ReportingSync:Entities:{i.ToString(CultureInfo.InvariantCulture)}"] = entities[i];
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var exported = new List<MetricSnapshot>();
        var builder = WorkerHost.CreateBuilder(new HostSettings { Overrides = values });
        // A second reader on the worker's own MeterProvider: what an OTLP collector would receive, without a collector.
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(exported));
        if (spans is not null)
        {
            // The same for traces: the worker samples nothing while it has no exporter, so the test samples everything.
            builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans));
        }

        var worker = new OperationsWorker(WorkerHost.Build(builder), exported);
        worker.BaseUrl = await WorkerHost.StartHttpAsync(worker._app, CancellationToken.None) ?? throw new InvalidOperationException("No HTTP address.");
        return worker;
    }

    /// <summary>Preflight, tables, then the supervisor's loop in the background (what <c>run</c> does after HTTP is up).</summary>
    public async Task RunAsync()
    {
        var supervisor = _app.Services.GetRequiredService<SyncSupervisor>();
        var schemas = await supervisor.PreflightAsync(_stop.Token);
        await supervisor.InitializeAsync(schemas, _stop.Token);
        _loop = Task.Run(() => supervisor.RunAsync(_stop.Token));
    }

    /// <summary>Collects now and returns the points of one metric for one entity, as the exporter received them.</summary>
    public IReadOnlyList<MetricPoint> Points(string metric, string entity)
    {
        lock (_exported)
        {
            _exported.Clear();
            // The result is false because the Prometheus reader only collects on a scrape; the in-memory reader has exported.
            _app.Services.GetRequiredService<MeterProvider>().ForceFlush(5_000);
            var points = new List<MetricPoint>();
            foreach (var snapshot in _exported.Where(m => m.Name == metric))
            {
                foreach (var point in snapshot.MetricPoints)
                {
                    foreach (var tag in point.Tags)
                    {
                        if (tag is { Key: "entity", Value: string e } && e == entity)
                        {
                            points.Add(point);
                        }
                    }
                }
            }

            return points;
        }
    }

    /// <summary>The staleness gauge of one entity as exported, in seconds.</summary>
    public double Staleness(string entity) => Points("reportingsync.staleness", entity).Single().GetGaugeLastValueDouble();

    /// <summary>How many lag values the histogram has recorded for the entity (cumulative).</summary>
    public long LagCount(string entity) => Points("reportingsync.lag", entity).Sum(p => p.GetHistogramCount());

    public async Task<JsonElement> StatusAsync() => await Http.GetFromJsonAsync<JsonElement>(new Uri(BaseUrl, "status"));

    public async Task<(int Code, string Body)> GetAsync(string path)
    {
        using var answer = await Http.GetAsync(new Uri(BaseUrl, path));
        return ((int)answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Http.Dispose();
        _stop.Dispose();
    }
}
