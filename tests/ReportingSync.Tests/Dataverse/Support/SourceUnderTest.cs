using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReportingSync.Dataverse;

namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>A <see cref="DataverseChangeSource"/> built through the public door (AddDataverseSource), with fast retries.</summary>
internal sealed class SourceUnderTest : IAsyncDisposable
{
    private SourceUnderTest(ServiceProvider services)
    {
        Services = services;
        Source = services.GetRequiredService<DataverseChangeSource>();
    }

    public ServiceProvider Services { get; }

    public DataverseChangeSource Source { get; }

    public CapturingLoggerProvider Logs { get; private init; } = new();

    public static SourceUnderTest Create(string url, Action<DataverseOptions>? configure = null, TimeProvider? time = null)
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddDataverseSource(o =>
        {
            o.Url = url;
            o.Auth.Mode = DataverseAuthMode.None;
            o.MaxRetries = 3;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
            o.RequestTimeout = TimeSpan.FromSeconds(10);
            configure?.Invoke(o);
        });
        return new SourceUnderTest(services.BuildServiceProvider()) { Logs = logs };
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
