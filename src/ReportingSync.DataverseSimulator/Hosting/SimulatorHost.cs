using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReportingSync.DataverseSimulator.Admin;
using ReportingSync.DataverseSimulator.ChangeTracking;
using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Hints;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.OData;
using ReportingSync.DataverseSimulator.Protection;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.Hosting;

/// <summary>
/// A running simulated Dataverse organisation: real HTTP on 127.0.0.1, the Web API under
/// <c>{BaseUrl}/api/data/v9.2/</c>, the admin API under <c>{BaseUrl}/admin/</c>, and the same controls in C#.
/// </summary>
internal sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private int _stopped;

    private SimulatorHost(WebApplication app, ServiceContext service, RequestLog log, FaultInjector faults, ServiceProtection limits, ChangeGenerator changes, ILogger logger)
    {
        _app = app;
        Service = service;
        RequestLog = log;
        Faults = faults;
        Limits = limits;
        ChangeGenerator = changes;
        _logger = logger;
    }

    /// <summary>The organisation URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => Service.BaseUrl;

    /// <summary><c>{BaseUrl}/api/data/v9.2/</c>.</summary>
    public Uri WebApiUrl => new(Service.ApiRoot);

    public SimulatorOptions Options => Service.Options;

    /// <summary>The id <c>WhoAmI</c> returns (<see cref="SimulatorOptions.OrganizationId"/>, else derived from the seed).</summary>
    public Guid OrganizationId => Service.OrganizationId;

    public SimulatorStore Store => Service.Store;

    public RequestLog RequestLog { get; }

    public FaultInjector Faults { get; }

    public ServiceProtection Limits { get; }

    public ChangeGenerator ChangeGenerator { get; }

    /// <summary>The notification sender when <see cref="SimulatorOptions.Hints"/> is on; else null.</summary>
    public HintEmitter? Hints { get; private set; }

    internal ServiceContext Service { get; }

    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var time = options.TimeProvider;
        var reference = ReferenceModelBuilder.BuildAll();
        var served = options.Entities is null
            ? reference
            : reference.Where(e => options.Entities.Contains(e.LogicalName)).ToList();
        var unknown = options.Entities?.Except(reference.Select(e => e.LogicalName)).ToList();
        if (unknown is { Count: > 0 })
        {
            throw new ArgumentException($"Unknown tables in SimulatorOptions.Entities: {string.Join(", ", unknown)}.", nameof(options));
        }

        var store = new SimulatorStore(
            served, options.RowCountFor, options.Seed, time, options.ChangeRetention, new MoneyPrecision(options.PricingDecimalPrecision, options.CurrencyPrecision));
        store.MetadataStampRetention = options.MetadataStampRetention;
        var service = new ServiceContext(store, options);
        var log = new RequestLog();
        var faults = new FaultInjector(options.Seed, time);
        options.FaultRules.ForEach(rule => faults.Add(rule));
        var limits = new ServiceProtection(options.Limits, time);
        var changes = new ChangeGenerator(store, options.Seed, time);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);

            // A $select of every contact column is ~7 KB, and links add a paging cookie on top.
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 96 * 1024;
            kestrel.AddServerHeader = false;
        });
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ReportingSync.DataverseSimulator");
        service.Logger = logger;
        var host = new SimulatorHost(app, service, log, faults, limits, changes, logger);
        var api = new ApiEndpoint(service);
        if (options.Hints.Enabled)
        {
            host.StartHints(options, logger);
        }

        app.UseMiddleware<RequestLogMiddleware>(log, time);
        app.UseMiddleware<ServiceProtectionMiddleware>(limits);
        app.UseMiddleware<FaultMiddleware>(faults, time);
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/api/data/v9.2", StringComparison.Ordinal))
            {
                ServiceContext.RequestOrigin = $"{http.Request.Scheme}://{http.Request.Host}";
                await api.HandleAsync(http);
            }
            else
            {
                await next(http);
            }
        });
        AdminEndpoints.Map(app, host);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        service.BaseUrl = address.TrimEnd('/');
        Log.Started(logger, service.BaseUrl, served.Count, served.Sum(e => (long)store.Count(e.LogicalName)), options.Seed);
        return host;
    }

    /// <summary>With hints off nothing of them exists.</summary>
    private void StartHints(SimulatorOptions options, ILogger logger)
    {
        var hints = options.Hints;
        Hints = new HintEmitter(hints, options.Seed, options.TimeProvider, logger, () => new Uri(BaseUrl).Authority, Service.OrganizationId);
        Store.AddListener(Hints);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await ChangeGenerator.StopAsync();
        if (Hints is not null)
        {
            await Hints.DisposeAsync();
        }

        await _app.StopAsync(cancellationToken);
        Log.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
