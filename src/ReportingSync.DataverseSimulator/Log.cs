using Microsoft.Extensions.Logging;

namespace ReportingSync.DataverseSimulator;

/// <summary>All log messages of the simulator, source-generated, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Dataverse simulator listening on {BaseUrl} ({Tables} tables, {Rows} generated rows, seed {Seed})")]
    public static partial void Started(ILogger logger, string baseUrl, int tables, long rows, int seed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Dataverse simulator stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Unexpected failure answering {Method} {Target}")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string target);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Change generator started: {Rate} changes/s over {Entities}")]
    public static partial void ChangeGeneratorStarted(ILogger logger, double rate, string entities);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Schema changed: {Operation} on {Entity}")]
    public static partial void SchemaChanged(ILogger logger, string operation, string entity);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Hint for {Entity} not delivered to the webhook: {Reason}")]
    public static partial void HintDeliveryFailed(ILogger logger, string entity, string reason);
}
