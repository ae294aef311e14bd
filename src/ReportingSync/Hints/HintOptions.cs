namespace ReportingSync.Hints;

/// <summary>
/// Push hints (section <c>ReportingSync:Hints</c>): Dataverse messages from Azure Service Bus or a webhook that wake an
/// entity's delta read early. A hint carries no data; change tracking stays the only source of rows.
/// </summary>
internal sealed class HintOptions
{
    public const string SectionName = "ReportingSync:Hints";

    /// <summary>Listen for hints at all. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Hints for one entity within this window after a wake-up are folded into one more wake-up at its end. Default
    /// 200 ms. Hinted reads spend the same request budget as every other request (<c>Dataverse:RequestBudgetPerSecond</c>,
    /// held by the client), so a stream of hints cannot overspend it. Zero wakes the entity for every hint (its loop still
    /// folds wakes during a cycle).
    /// </summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Service Bus queue or topic subscription to receive from; off while neither <c>ConnectionString</c> nor <c>FullyQualifiedNamespace</c> is set.</summary>
    public ServiceBusHintOptions ServiceBus { get; set; } = new();

    /// <summary>Webhook endpoint <c>POST /hooks/dataverse</c>; off while <c>Key</c> is empty.</summary>
    public WebhookHintOptions Webhook { get; set; } = new();
}
