using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ReportingSync.Configuration;
using ReportingSync.Dataverse;
using ReportingSync.Engine;
using ReportingSync.Engine.Reconciliation;
using ReportingSync.Operations;
using ReportingSync.Hints;
using ReportingSync.Sql;

namespace ReportingSync.Hosting;

/// <summary>
/// Composes the worker: configuration (defaults, appsettings.json, --config file, environment variables, in that
/// order of precedence), logging, options with start-up validation, source, target and engine.
/// </summary>
internal static class WorkerHost
{
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
    };

    /// <summary>Every option group bound from configuration, for <see cref="ConfigurationTypeCheck"/>.</summary>
    private static readonly (string Section, Type Options)[] OptionSections =
    [
        (SyncOptions.SectionName, typeof(SyncOptions)),
        (DataverseOptions.SectionName, typeof(DataverseOptions)),
        (TargetOptions.SectionName, typeof(TargetOptions)),
        (OperationsOptions.SectionName, typeof(OperationsOptions)),
        (ReconciliationOptions.SectionName, typeof(ReconciliationOptions)),
        (HintOptions.SectionName, typeof(HintOptions)),
    ];

    public static WebApplicationBuilder CreateBuilder(HostSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });

        var configuration = builder.Configuration;
        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(Defaults);
        configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        if (settings.ConfigFile is not null)
        {
            configuration.AddJsonFile(settings.ConfigFile.FullName, optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables();
        if (settings.Overrides is not null)
        {
            configuration.AddInMemoryCollection(settings.Overrides);
        }

        // A value the binder cannot convert would throw at the first one, before any validator runs. Such keys are bound
        // as unset instead and reported with the validators' failures, so one start-up names every bad key at once.
        var unconvertible = ConfigurationTypeCheck.Find(configuration, OptionSections);
        if (unconvertible.Count > 0)
        {
            configuration.AddInMemoryCollection(unconvertible.Select(p => new KeyValuePair<string, string?>(p.Key, null)));
        }

        var unconvertibleSettings = new UnconvertibleSettings(unconvertible);
        builder.Services.AddSingleton(unconvertibleSettings);
        builder.Services.AddSingleton<IValidateOptions<SyncOptions>>(unconvertibleSettings);

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        // Logs go to stderr so that command output on stdout (status --json, reconcile --json) stays machine-readable.
        // Logging:Console:FormatterName = json switches to structured JSON lines.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        // Until an HTTP port is configured the host must not claim ASP.NET Core's default 5000: replicas on one machine
        // (and the tests) would collide. Port 0 asks the OS for any free loopback port.
        var port = configuration["ReportingSync:Http:Port"];
        builder.WebHost.UseUrls(string.IsNullOrEmpty(port) ? "http://127.0.0.1:0" : $"http://+:{port}");

        AddWorkerServices(builder.Services, configuration);
        builder.Services.AddOperations(configuration);
        return builder;
    }

    /// <summary>Builds the host with the operations endpoints mapped (<c>/healthz</c>, <c>/readyz</c>, <c>/status</c>, <c>/</c>, <c>/metrics</c>).</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapOperations();
        return app;
    }

    /// <summary>
    /// The address the HTTP side listens on once started. With the default port 0 only the server knows it, so it is
    /// read back from <see cref="IServerAddressesFeature"/> and logged: that is how people and tests find it.
    /// </summary>
    public static Uri? ListeningAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return null;
        }

        // "http://[::]:8080" or "http://+:8080" are bind addresses, not addresses to browse to.
        var uri = new Uri(address.Replace("://+:", "://localhost:", StringComparison.Ordinal).Replace("://[::]:", "://localhost:", StringComparison.Ordinal).Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal));
        return new UriBuilder(uri) { Path = "/" }.Uri;
    }

    /// <summary>Starts the HTTP side and logs where it listens.</summary>
    public static async Task<Uri?> StartHttpAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = ListeningAddress(app);
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ReportingSync.Operations");
        if (address is not null)
        {
            Operations.Log.Listening(log, address.ToString());
        }

        if (app.Services.GetRequiredService<IOptions<OperationsOptions>>().Value.OtlpEndpoint is { } otlp)
        {
            Operations.Log.OtlpExport(log, otlp);
        }

        return address;
    }

    public static void AddWorkerServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<IConfigureOptions<SyncOptions>>(new SyncOptionsSetup(configuration));
        services.AddSingleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>();
        services.AddOptions<SyncOptions>().ValidateOnStart();
        services.AddDataverseSource(configuration.GetSection("ReportingSync:Dataverse"));
        services.AddReportingTarget(configuration);
        services.AddSingleton<SyncMetrics>();
        services.AddSingleton<SyncSupervisor>();
        ScheduledReconciliation.AddTo(services, configuration);
        services.AddHints(configuration);
    }
}
