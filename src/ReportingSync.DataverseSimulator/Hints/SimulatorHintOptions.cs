namespace ReportingSync.DataverseSimulator.Hints;

/// <summary>
/// Push notifications the simulated organisation sends for every create, update and delete, like a Dataverse service
/// endpoint step (asynchronous, post-operation, message format JSON). Everything is off by default.
/// </summary>
internal sealed class SimulatorHintOptions
{
    /// <summary>Webhook to POST each change to (RemoteExecutionContext body, Dataverse's headers). Null = no webhook.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>WebhookKey authentication: sent as query string <c>code</c>. Null = no key.</summary>
    public string? WebhookKey { get; set; }

    /// <summary>
    /// Name of a queue in the simulator's own Service Bus stand-in (REST API under <c>{BaseUrl}/servicebus/</c>) to put each
    /// change into. Null = no queue.
    /// </summary>
    public string? ServiceBusQueue { get; set; }

    /// <summary>When set with <see cref="ServiceBusSasKey"/>, the stand-in requires a valid SAS token for this policy.</summary>
    public string? ServiceBusSasKeyName { get; set; }

    /// <summary>The stand-in's shared access key.</summary>
    public string? ServiceBusSasKey { get; set; }

    /// <summary>Peek-lock duration of the stand-in queue; an expired lock makes the message available again. Default 30 s.</summary>
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries before the stand-in dead-letters a message (drops it). Default 10, like Service Bus.</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>Also set the EntityLogicalName message property on queued messages (else only the body names the table). Default true.</summary>
    public bool EntityProperty { get; set; } = true;

    /// <summary>Percentage (0–100) of changes whose hint is never sent.</summary>
    public double LossPercent { get; set; }

    /// <summary>Percentage (0–100) of hints sent twice.</summary>
    public double DuplicatePercent { get; set; }

    /// <summary>Percentage (0–100) of hints held back by <see cref="Delay"/> before sending.</summary>
    public double DelayPercent { get; set; }

    /// <summary>How long delayed hints are held back. Default 2 s.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => WebhookUrl is not null || ServiceBusQueue is not null;

    public void Validate()
    {
        Require(WebhookUrl is null || WebhookUrl.IsAbsoluteUri, $"Hints.WebhookUrl must be absolute; it is {WebhookUrl}.");
        Require(ServiceBusQueue is null || (ServiceBusQueue.Length > 0 && !ServiceBusQueue.Contains('/')), $"Hints.ServiceBusQueue must be a plain queue name; it is '{ServiceBusQueue}'.");
        Require((ServiceBusSasKeyName is null) == (ServiceBusSasKey is null), "Hints.ServiceBusSasKeyName and Hints.ServiceBusSasKey go together.");
        Require(LockDuration >= TimeSpan.FromMilliseconds(100), $"Hints.LockDuration must be at least 100 ms; it is {LockDuration}.");
        Require(MaxDeliveryCount >= 1, $"Hints.MaxDeliveryCount must be at least 1; it is {MaxDeliveryCount}.");
        foreach (var (name, value) in new[] { ("LossPercent", LossPercent), ("DuplicatePercent", DuplicatePercent), ("DelayPercent", DelayPercent) })
        {
            Require(value is >= 0 and <= 100, $"Hints.{name} must be between 0 and 100; it is {value}.");
        }

        Require(Delay >= TimeSpan.Zero, $"Hints.Delay cannot be negative; it is {Delay}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
