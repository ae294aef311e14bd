namespace ReportingSync.DataverseSimulator.Hints;

/// <summary>A message in the Service Bus stand-in, with its peek-lock state.</summary>
internal sealed class QueuedMessage(string messageId, long sequenceNumber, byte[] body, IReadOnlyDictionary<string, string> properties, DateTimeOffset enqueuedAt)
{
    public string MessageId { get; } = messageId;

    public long SequenceNumber { get; } = sequenceNumber;

    public byte[] Body { get; } = body;

    /// <summary>Custom properties (name → JSON value text, as the REST API carries them in headers).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; } = properties;

    public DateTimeOffset EnqueuedAt { get; } = enqueuedAt;

    public Guid? LockToken { get; set; }

    public DateTimeOffset LockedUntil { get; set; }

    public int DeliveryCount { get; set; }
}
