namespace ReportingSync.Hints;

/// <summary>A peek-locked message: enough to settle it and to name its table.</summary>
internal sealed record ServiceBusMessage(string MessageId, string LockToken, long SequenceNumber, Uri? LockLocation, string? EntityName);
