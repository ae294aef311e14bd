namespace ReportingSync.Source;

/// <summary>The source refused a saved nextLink/deltaLink (HTTP 400 and similar). The read must restart.</summary>
public sealed class CursorRejectedException(string entity, int statusCode, string detail)
    : SourceException($"Dataverse rejected the saved link for '{entity}' (HTTP {statusCode}): {detail}")
{
    public string Entity { get; } = entity;
    public int StatusCode { get; } = statusCode;
    public override bool IsTransient => false;
}
