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

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "Service Bus hints: receiving from {Namespace}/{EntityPath} with {Calls} concurrent call(s), {Auth} authentication over {Transport}")]
    public static partial void ListenerStarted(ILogger logger, string @namespace, string entityPath, int calls, string auth, string transport);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "Service Bus hints: {Source} failed ({Reason}): {Message}; the processor retries on its own and polling goes on")]
    public static partial void ReceiveFailed(ILogger logger, string source, string reason, string message);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Debug, Message = "Service Bus hints: message {MessageId} names no table (delivery {DeliveryCount} of {MaxDeliveryCount}); abandoned for another try")]
    public static partial void NoEntity(ILogger logger, string messageId, int deliveryCount, int maxDeliveryCount);

    [LoggerMessage(EventId = 9013, Level = LogLevel.Warning, Message = "Service Bus hints: message {MessageId} still names no table after {DeliveryCount} deliveries; dead-lettered")]
    public static partial void DeadLettered(ILogger logger, string messageId, int deliveryCount);

    [LoggerMessage(EventId = 9014, Level = LogLevel.Information, Message = "Service Bus hints: processor stopped")]
    public static partial void ListenerStopped(ILogger logger);

    [LoggerMessage(EventId = 9020, Level = LogLevel.Information, Message = "Webhook hints: POST /hooks/dataverse accepts the key from {Where}")]
    public static partial void WebhookMapped(ILogger logger, string where);

    [LoggerMessage(EventId = 9021, Level = LogLevel.Warning, Message = "Webhook hints: rejected a call from {Remote} without a valid key")]
    public static partial void WebhookRejected(ILogger logger, string? remote);
}
