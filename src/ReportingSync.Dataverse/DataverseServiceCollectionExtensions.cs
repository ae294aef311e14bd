using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>The one public door: registers <see cref="DataverseChangeSource"/> as the <see cref="IChangeSource"/>.</summary>
public static class DataverseServiceCollectionExtensions
{
    /// <summary>Binds <see cref="DataverseOptions"/> from <paramref name="section"/> (normally <c>ReportingSync:Dataverse</c>).</summary>
    public static IServiceCollection AddDataverseSource(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddDataverseSource(builder => builder.Bind(section));
    }

    public static IServiceCollection AddDataverseSource(this IServiceCollection services, Action<DataverseOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddDataverseSource(builder => builder.Configure(configure));
    }

    private static IServiceCollection AddDataverseSource(this IServiceCollection services, Action<OptionsBuilder<DataverseOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DataverseOptions>();
        configure(options);
        options.ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DataverseOptions>, DataverseOptionsValidator>());

        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var o = GetOptions(sp);
            return new ServiceProtectionGate(o.MaxConcurrency, o.RetryBaseDelay, o.RetryMaxDelay, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp => new RequestBudget(GetOptions(sp).RequestBudgetPerSecond));
        services.TryAddSingleton(sp => new RecentRequests(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new DataverseMetrics(
            sp.GetService<IMeterFactory>(), sp.GetRequiredService<ServiceProtectionGate>(), sp.GetRequiredService<RequestBudget>(), sp.GetRequiredService<RecentRequests>()));
        services.TryAddSingleton<IAccessTokenProvider>(CreateTokenProvider);
        services.TryAddSingleton(sp =>
        {
            var o = GetOptions(sp);
            return new DataverseTransport(
                o,
                DataverseHttp.CreateHandler(o),
                sp.GetRequiredService<IAccessTokenProvider>(),
                sp.GetRequiredService<ServiceProtectionGate>(),
                sp.GetRequiredService<RequestBudget>(),
                sp.GetRequiredService<RecentRequests>(),
                sp.GetRequiredService<DataverseMetrics>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<DataverseTransport>());
        });
        services.TryAddSingleton(sp => new DataverseChangeSource(sp.GetRequiredService<DataverseTransport>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<IChangeSource>(sp => sp.GetRequiredService<DataverseChangeSource>());
        services.TryAddSingleton<IRowQuerySource>(sp => sp.GetRequiredService<DataverseChangeSource>());
        services.TryAddSingleton<ISourceTraffic>(sp => sp.GetRequiredService<DataverseChangeSource>());
        return services;
    }

    private static DataverseOptions GetOptions(IServiceProvider services) => services.GetRequiredService<IOptions<DataverseOptions>>().Value;

    private static IAccessTokenProvider CreateTokenProvider(IServiceProvider services)
    {
        var options = GetOptions(services);
        if (options.Auth.Mode == DataverseAuthMode.None)
        {
            return NoAuthTokenProvider.Instance;
        }

        return new AzureIdentityTokenProvider(
            DataverseCredentials.Create(options),
            new Uri(options.Url!),
            options.Auth.Mode,
            options.Auth.ClientSecret,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<AzureIdentityTokenProvider>());
    }
}
