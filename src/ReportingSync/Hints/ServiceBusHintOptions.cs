using Azure.Messaging.ServiceBus;

namespace ReportingSync.Hints;

/// <summary>
/// Where and how to receive Dataverse messages from Azure Service Bus (Azure.Messaging.ServiceBus, AMQP, peek-lock).
/// Either <see cref="ConnectionString"/> (SAS) or <see cref="FullyQualifiedNamespace"/> (Entra, through Azure.Identity's
/// <c>DefaultAzureCredential</c>: workload or managed identity, role Azure Service Bus Data Receiver).
/// </summary>
internal sealed class ServiceBusHintOptions
{
    /// <summary>
    /// A SAS connection string (<c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…</c>, optionally with
    /// <c>EntityPath</c>); a secret, never logged. The policy needs only the Listen right. Empty = use
    /// <see cref="FullyQualifiedNamespace"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The namespace host, e.g. <c>myns.servicebus.windows.net</c>, for Entra authentication.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>A queue name, or <c>{topic}/subscriptions/{subscription}</c>. May be left out when the connection string has <c>EntityPath</c>.</summary>
    public string? EntityPath { get; set; }

    /// <summary>
    /// <c>AmqpTcp</c> (port 5671, the default) or <c>AmqpWebSockets</c> (AMQP over port 443, for networks that block 5671).
    /// </summary>
    public ServiceBusTransportType TransportType { get; set; } = ServiceBusTransportType.AmqpTcp;

    /// <summary>Messages handled at once. Default 2: a hint costs microseconds; more only helps after an outage.</summary>
    public int MaxConcurrentCalls { get; set; } = 2;

    /// <summary>How long the processor keeps renewing a message's lock while it is handled. Default 5 minutes.</summary>
    public TimeSpan MaxAutoLockRenewalDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Deliveries after which a message that names no table (a poison message) is dead-lettered rather than abandoned
    /// again. Default 3. Keep it below the queue's or subscription's own MaxDeliveryCount (10 unless changed), or Service
    /// Bus dead-letters the message first, without our reason.
    /// </summary>
    public int MaxDeliveryCount { get; set; } = 3;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(FullyQualifiedNamespace);
}
