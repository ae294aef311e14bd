namespace ReportingSync.Source;

/// <summary>
/// A saved nextLink/deltaLink cannot be followed: Dataverse rejected it (HTTP 400, 404 or 410), or the client refused
/// to send it at all (<see cref="WasSent"/> false, e.g. it points at another host than the configured organisation).
/// Either way the read must restart (a seed from scratch, a stream by re-seeding).
/// </summary>
public sealed class CursorRejectedException : SourceException
{
    /// <summary>Dataverse answered the link with <paramref name="statusCode"/>.</summary>
    public CursorRejectedException(string entity, int statusCode, string detail)
        : base($"Dataverse rejected the saved link for '{entity}' (HTTP {statusCode}): {detail}")
    {
        Entity = entity;
        StatusCode = statusCode;
    }

    private CursorRejectedException(string entity, string message)
        : base(message)
    {
        Entity = entity;
    }

    public string Entity { get; }

    /// <summary>Dataverse's answer to the link; null when the link was never sent.</summary>
    public int? StatusCode { get; }

    /// <summary>False when the client refused the link before sending it (no HTTP status exists then).</summary>
    public bool WasSent => StatusCode is not null;

    public override bool IsTransient => false;

    /// <summary>The client did not send the link; <paramref name="reason"/> says why in plain words.</summary>
    public static CursorRejectedException NotSent(string entity, string reason) =>
        new(entity, $"The saved link for '{entity}' was not sent to Dataverse: {reason}");
}
