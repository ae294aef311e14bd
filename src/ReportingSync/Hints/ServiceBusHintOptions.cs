namespace ReportingSync.Hints;

/// <summary>Where and how to receive Dataverse messages from Azure Service Bus (REST API, peek-lock).</summary>
internal sealed class ServiceBusHintOptions
{
    /// <summary>Namespace URL, e.g. <c>https://myns.servicebus.windows.net</c> (<c>sb://</c> is accepted). Empty = off.</summary>
    public string? Endpoint { get; set; }

    /// <summary>A queue name, or <c>{topic}/subscriptions/{subscription}</c>.</summary>
    public string? EntityPath { get; set; }

    /// <summary>Shared access policy name (with <see cref="SasKey"/>).</summary>
    public string? SasKeyName { get; set; }

    /// <summary>Shared access key; never logged. Needs only the Listen right.</summary>
    public string? SasKey { get; set; }

    /// <summary>Authenticate with an Entra token (DefaultAzureCredential, role Azure Service Bus Data Receiver) instead of SAS.</summary>
    public bool UseEntraToken { get; set; }

    /// <summary>Receive requests in flight at once. Default 2.</summary>
    public int MaxConcurrentReceives { get; set; } = 2;

    /// <summary>How long one receive request waits for a message (long poll). Default 30 s.</summary>
    public TimeSpan ReceiveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between attempts after consecutive errors (backoff doubles from 1 s). Default 1 minute.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);
}
