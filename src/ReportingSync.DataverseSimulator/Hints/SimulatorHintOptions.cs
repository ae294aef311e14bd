namespace ReportingSync.DataverseSimulator.Hints;

/// <summary>
/// Push notifications the simulated organisation sends for every create, update and delete, like a Dataverse webhook
/// step (asynchronous, post-operation, RemoteExecutionContext JSON). Everything is off by default. There is no Service
/// Bus stand-in: the worker speaks AMQP through Azure.Messaging.ServiceBus, and no broker runs here.
/// </summary>
internal sealed class SimulatorHintOptions
{
    /// <summary>Webhook to POST each change to (RemoteExecutionContext body, Dataverse's headers). Null = no webhook.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>WebhookKey authentication: sent as query string <c>code</c>. Null = no key.</summary>
    public string? WebhookKey { get; set; }

    /// <summary>Percentage (0–100) of changes whose hint is never sent.</summary>
    public double LossPercent { get; set; }

    /// <summary>Percentage (0–100) of hints sent twice.</summary>
    public double DuplicatePercent { get; set; }

    /// <summary>Percentage (0–100) of hints held back by <see cref="Delay"/> before sending.</summary>
    public double DelayPercent { get; set; }

    /// <summary>How long delayed hints are held back. Default 2 s.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => WebhookUrl is not null;

    public void Validate()
    {
        Require(WebhookUrl is null || WebhookUrl.IsAbsoluteUri, $"Hints.WebhookUrl must be absolute; it is {WebhookUrl}.");
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
