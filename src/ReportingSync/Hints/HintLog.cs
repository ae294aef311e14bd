using System.Net;
using Microsoft.Extensions.Logging;

namespace ReportingSync.Hints;

/// <summary>Log messages of push hints (event ids 9000–9099). None of them carries a key or a token.</summary>
internal static partial class HintLog
{
    [LoggerMessage(EventId = 9000, Level = LogLevel.Debug, Message = "Hint for {Entity} via {Via} ignored: the entity is not configured")]
    public static partial void UnknownEntity(ILogger logger, string entity, string via);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Debug, Message = "Hint for {Entity} via {Via}: delta read requested")]
    public static partial void Woken(ILogger logger, string entity, string via);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Trace, Message = "Hint for {Entity} via {Via} folded into the open window")]
    public static partial void Coalesced(ILogger logger, string entity, string via);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Push hints on: bursts per entity are folded into one delta read per {WindowMs:0} ms")]
    public static partial void Window(ILogger logger, double windowMs);

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "Service Bus hints: receiving from {Entity} with {Receivers} receiver(s), {Auth} authentication")]
    public static partial void ListenerStarted(ILogger logger, string entity, int receivers, string auth);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "Service Bus hints: receive failed ({Reason}); retrying in {DelaySeconds:0.#} s (failure {Failures})")]
    public static partial void ReceiveFailed(ILogger logger, string reason, double delaySeconds, int failures);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Debug, Message = "Service Bus hints: message {MessageId} names no table; completed without a hint")]
    public static partial void NoEntity(ILogger logger, string messageId);

    [LoggerMessage(EventId = 9013, Level = LogLevel.Warning, Message = "Service Bus hints: could not settle message {MessageId} ({Status}); its lock expires and it is delivered again")]
    public static partial void SettleFailed(ILogger logger, string messageId, HttpStatusCode? status);

    [LoggerMessage(EventId = 9014, Level = LogLevel.Information, Message = "Service Bus hints: receivers stopped")]
    public static partial void ListenerStopped(ILogger logger);

    [LoggerMessage(EventId = 9020, Level = LogLevel.Information, Message = "Webhook hints: POST /hooks/dataverse accepts the key from {Where}")]
    public static partial void WebhookMapped(ILogger logger, string where);

    [LoggerMessage(EventId = 9021, Level = LogLevel.Warning, Message = "Webhook hints: rejected a call from {Remote} without a valid key")]
    public static partial void WebhookRejected(ILogger logger, string? remote);
}
