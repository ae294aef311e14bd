namespace ReportingSync.Hints;

/// <summary>
/// The webhook Dataverse calls (<c>POST /hooks/dataverse</c>). Dataverse's webhook registration offers WebhookKey (sent
/// as query string <c>code</c>) or HttpHeader (a named header); either is accepted when it matches <see cref="Key"/>.
/// </summary>
internal sealed class WebhookHintOptions
{
    /// <summary>The shared key (at least 16 characters); empty = no webhook endpoint. Never logged.</summary>
    public string? Key { get; set; }

    /// <summary>Header that carries the key when the step is registered with HttpHeader authentication; null = query <c>code</c> only.</summary>
    public string? HeaderName { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(Key);
}
