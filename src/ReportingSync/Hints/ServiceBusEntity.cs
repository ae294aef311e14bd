using Azure.Messaging.ServiceBus;

namespace ReportingSync.Hints;

/// <summary>A queue, or a topic subscription: what <see cref="ServiceBusClient.CreateProcessor(string, ServiceBusProcessorOptions)"/> needs.</summary>
internal sealed record ServiceBusEntity(string QueueOrTopic, string? Subscription)
{
    private const string SubscriptionsSegment = "/subscriptions/";

    /// <summary>Accepts <c>queue</c> and <c>topic/subscriptions/subscription</c> (any case for the middle segment).</summary>
    public static bool TryParse(string? path, out ServiceBusEntity entity)
    {
        entity = null!;
        var trimmed = path?.Trim().Trim('/');
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        var at = trimmed.IndexOf(SubscriptionsSegment, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            if (trimmed.Contains('/'))
            {
                return false;
            }

            entity = new ServiceBusEntity(trimmed, null);
            return true;
        }

        var topic = trimmed[..at];
        var subscription = trimmed[(at + SubscriptionsSegment.Length)..];
        if (topic.Length == 0 || subscription.Length == 0 || topic.Contains('/') || subscription.Contains('/'))
        {
            return false;
        }

        entity = new ServiceBusEntity(topic, subscription);
        return true;
    }

    /// <summary>
    /// Checks a SAS connection string with the SDK's own parser. Returns what is wrong (never the string itself: it
    /// holds the key), or null, and the <c>EntityPath</c> it names, if any.
    /// </summary>
    public static string? ParseConnectionString(string connectionString, out string? entityPath)
    {
        entityPath = null;
        ServiceBusConnectionStringProperties properties;
        try
        {
            properties = ServiceBusConnectionStringProperties.Parse(connectionString);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return "is not a Service Bus connection string (Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…).";
        }

        if (properties.Endpoint is null)
        {
            return "has no Endpoint (sb://<namespace>.servicebus.windows.net/).";
        }

        if (string.IsNullOrEmpty(properties.SharedAccessSignature)
            && (string.IsNullOrEmpty(properties.SharedAccessKeyName) || string.IsNullOrEmpty(properties.SharedAccessKey)))
        {
            return "needs SharedAccessKeyName and SharedAccessKey (or SharedAccessSignature); for Entra use FullyQualifiedNamespace instead.";
        }

        entityPath = string.IsNullOrEmpty(properties.EntityPath) ? null : properties.EntityPath;
        return null;
    }

    public override string ToString() => Subscription is null ? QueueOrTopic : $"{QueueOrTopic}/subscriptions/{Subscription}";
}
