namespace ReportingSync.Source;

/// <summary>Dataverse error 0x80044352 (ExpiredVersionStamp): the delta token is older than retention. Re-seed.</summary>
public sealed class ChangeTokenExpiredException(string entity, string? detail = null)
    : SourceException($"The change-tracking token for '{entity}' has expired (0x80044352){(detail is null ? "" : ": " + detail)}; a full re-seed is needed.")
{
    public const string ErrorCode = "0x80044352";
    public string Entity { get; } = entity;
    public override bool IsTransient => false;
}
