using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>The public door of ReportingSync.Sql: registers the configured <see cref="IReportingTarget"/>.</summary>
public static class ReportingTargetServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="TargetOptions"/> from <c>ReportingSync:Target</c> of <paramref name="configuration"/>, validates
    /// them at start-up, and registers one <see cref="IReportingTarget"/> (singleton, disposed with the container)
    /// for the configured provider. Uses a registered <see cref="TimeProvider"/>, or the system clock.
    /// </summary>
    public static IServiceCollection AddReportingTarget(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<TargetOptions>()
            .Bind(configuration.GetSection(TargetOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TargetOptions>, TargetOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReportingTarget>(provider => ReportingTargetFactory.Create(
            provider.GetRequiredService<IOptions<TargetOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        return services;
    }
}
