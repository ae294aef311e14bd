using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReportingSync.Diagnostics;

namespace ReportingSync.Operations;

/// <summary>Registers the worker's operations side: status monitor, readiness, lag history and the OpenTelemetry MeterProvider and TracerProvider.</summary>
internal static class OperationsServiceCollectionExtensions
{
    /// <summary>
    /// Every meter named this or <c>ReportingSync.*</c> is exported: the engine's <c>ReportingSync</c>, the client's
    /// <c>ReportingSync.Dataverse</c>, and any added later (<c>ReportingSync.Reconciliation</c>) without touching this.
    /// </summary>
    public const string MeterPrefix = "ReportingSync";

    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperationsOptions>()
            .Bind(configuration.GetSection(OperationsOptions.SectionName))
            .Configure(o => o.OtlpEndpoint = FirstNonEmpty(configuration["ReportingSync:Telemetry:OtlpEndpoint"], configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]));
        services.AddSingleton<LagHistory>();
        services.AddSingleton<StatusMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusMonitor>());
        services.AddSingleton<ReadinessCheck>();

        var configuredOtlp = FirstNonEmpty(configuration["ReportingSync:Telemetry:OtlpEndpoint"]);
        var standardOtlp = FirstNonEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var exportTraces = configuredOtlp is not null || standardOtlp is not null || FirstNonEmpty(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]) is not null;
        // Meters are enabled through the host's metrics rules rather than the SDK's AddMeter: AddMeter listens to every
        // meter of that name in the process, while these rules take this container's meters (and plain `new Meter`
        // ones) only, so two workers in one process (the tests) never mix or cut off each other's streams.
        services.AddMetrics(m => m.EnableMetrics(MeterPrefix));
        services.AddOpenTelemetry()
            .ConfigureResource(r =>
            {
                // OTEL_SERVICE_NAME (read by the SDK's default detectors) wins; a name added here would override it.
                if (FirstNonEmpty(configuration["OTEL_SERVICE_NAME"]) is null)
                {
                    r.AddService("reportingsync", serviceInstanceId: Environment.MachineName);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddPrometheusExporter();
                if (configuredOtlp is not null || standardOtlp is not null)
                {
                    // Off unless configured: an exporter with nowhere to send would log a failure every interval.
                    // With only the standard variable set, the exporter reads it (and OTEL_EXPORTER_OTLP_PROTOCOL,
                    // _HEADERS) itself, so signal paths are appended as the specification says.
                    metrics.AddOtlpExporter(o =>
                    {
                        if (configuredOtlp is not null)
                        {
                            o.Endpoint = new Uri(configuredOtlp);
                        }
                    });
                }
            })
            .WithTracing(tracing =>
            {
                // The engine's spans (page read and commit, re-seed, swap, reconciliation) and the Dataverse client's HTTP
                // calls under them. The HTTP instrumentation replaces query values with "Redacted", so no paging
                // cookie or delta token reaches a span; no header is recorded.
                tracing.AddSource(SyncActivity.SourceName).AddHttpClientInstrumentation(o => o.RecordException = false);
                if (exportTraces)
                {
                    // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _PROTOCOL and _HEADERS itself.
                    tracing.AddOtlpExporter(o =>
                    {
                        if (configuredOtlp is not null)
                        {
                            o.Endpoint = new Uri(configuredOtlp);
                        }
                    });
                }
                else
                {
                    // Nothing exports traces: sample nothing, so no span is even created (a test that adds an exporter
                    // sets its own sampler).
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            });
        return services;
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
