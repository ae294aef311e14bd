using Azure.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ReportingSync.Configuration;
using ReportingSync.Dataverse;
using ReportingSync.Engine;
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

        var typeProblems = ConfigurationTypeCheck.Find(
            configuration,
            (SyncOptions.SectionName, typeof(SyncOptions)),
            ("ReportingSync:Dataverse", typeof(DataverseOptions)),
            (TargetOptions.SectionName, typeof(TargetOptions)));
        if (typeProblems.Count > 0)
        {
            throw new OptionsValidationException(SyncOptions.SectionName, typeof(SyncOptions), typeProblems);
        }

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
        return builder;
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
        AddAzureSqlAccessToken(services, configuration);
        services.AddSingleton<SyncMetrics>();
        services.AddSingleton<SyncSupervisor>();
        services.AddHints(configuration);
    }

    /// <summary>
    /// For a SQL Server target, Entra tokens from <c>DefaultAzureCredential</c>. The target uses them only when the
    /// connection string carries no credentials of its own or asks for <c>Authentication=Active Directory Default</c>,
    /// which the SqlClient 2.1.4 on our feed cannot do by itself.
    /// </summary>
    private static void AddAzureSqlAccessToken(IServiceCollection services, IConfiguration configuration)
    {
        if (Enum.TryParse<TargetProvider>(configuration[TargetOptions.SectionName + ":Provider"], ignoreCase: true, out var provider)
            && provider == TargetProvider.SqlServer)
        {
            services.AddSingleton(sp => new AzureSqlAccessToken(new DefaultAzureCredential(), sp.GetRequiredService<TimeProvider>()).Provider);
        }
    }
}
