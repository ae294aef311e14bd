using Microsoft.Extensions.Logging;

namespace ReportingSync.Operations;

/// <summary>Log messages of the worker's HTTP side. Event ids are stable (3000–3099).</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "Health, readiness, status page and metrics at {Url} (/healthz, /readyz, /status, /, /metrics)")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(3001, LogLevel.Warning, "Cannot read the sync state from the target: {Message}; /readyz answers 503 until it can")]
    public static partial void StateUnavailable(ILogger logger, string message);

    [LoggerMessage(3002, LogLevel.Information, "The sync state can be read from the target again")]
    public static partial void StateAvailableAgain(ILogger logger);

    [LoggerMessage(3003, LogLevel.Debug, "No row-count estimate for {Entity} (seed progress shows rows only): {Message}")]
    public static partial void EstimateUnavailable(ILogger logger, string entity, string message);

    [LoggerMessage(3010, LogLevel.Information, "Re-seed of {Entity} requested over HTTP from {Remote} (command {Id})")]
    public static partial void ReseedRequested(ILogger logger, string entity, string remote, long id);

    [LoggerMessage(3011, LogLevel.Warning, "Refused a re-seed request over HTTP from {Remote}: {Reason}")]
    public static partial void ReseedRefused(ILogger logger, string remote, string reason);

    [LoggerMessage(3020, LogLevel.Information, "Exporting metrics over OTLP to {Endpoint}")]
    public static partial void OtlpExport(ILogger logger, string endpoint);
}
