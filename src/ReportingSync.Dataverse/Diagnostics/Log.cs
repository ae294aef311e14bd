using Microsoft.Extensions.Logging;
using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>
/// Every log line of the Dataverse client. Event ids are stable (dashboards and alerts key on them); add new ones at
/// the end. Lines carry hosts and entity names, never tokens, secrets or full links.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Debug, "Acquired an access token for {Host} (Auth:Mode {Mode}), valid until {ExpiresOn:O}.")]
    public static partial void TokenAcquired(ILogger logger, string host, DataverseAuthMode mode, DateTimeOffset expiresOn);

    [LoggerMessage(3002, LogLevel.Warning,
        "Dataverse throttled a request for {Entity} (HTTP 429, code {ErrorCode}); every request pauses for {PauseSeconds:0.###} s ({PauseSource}).")]
    public static partial void Throttled(ILogger logger, string entity, string? errorCode, double pauseSeconds, string pauseSource);

    [LoggerMessage(3003, LogLevel.Warning, "A request for {Entity} failed ({Reason}); retry {Retry} of {MaxRetries} in {DelaySeconds:0.###} s.")]
    public static partial void Retrying(ILogger logger, string entity, string reason, int retry, int maxRetries, double delaySeconds);

    [LoggerMessage(3004, LogLevel.Warning, "Giving up on a request for {Entity} after {Attempts} attempts: {Reason}")]
    public static partial void GivingUp(ILogger logger, string entity, int attempts, string reason);

    [LoggerMessage(3005, LogLevel.Information,
        "Read the metadata of {Entity}: {Attributes} attributes kept, {Skipped} skipped; change tracking enabled: {ChangeTracking}.")]
    public static partial void SchemaRead(ILogger logger, string entity, int attributes, int skipped, bool changeTracking);

    [LoggerMessage(3006, LogLevel.Debug, "Skipping attribute {Entity}.{Attribute} (type {AttributeType}/{AttributeTypeName}): {Reason}.")]
    public static partial void AttributeSkipped(
        ILogger logger, string entity, string attribute, string? attributeType, string? attributeTypeName, string reason);

    [LoggerMessage(3007, LogLevel.Debug,
        "Read a page of {Entity}: {Rows} rows, {Deletes} deletes, {Bytes} bytes, {Attempts} requests; next is a {CursorKind}.")]
    public static partial void PageRead(ILogger logger, string entity, int rows, int deletes, int bytes, int attempts, CursorKind cursorKind);

    [LoggerMessage(3008, LogLevel.Information,
        "Dataverse suggests {Hint} parallel requests (x-ms-dop-hint); at most {Ceiling} will be in flight (ReportingSync:Dataverse:MaxConcurrency is {MaxConcurrency}).")]
    public static partial void DopHint(ILogger logger, int hint, int ceiling, int maxConcurrency);

    [LoggerMessage(3009, LogLevel.Information,
        "Dataverse no longer knows the metadata stamp of {Tables} tables ({Detail}); reading their metadata in full.")]
    public static partial void MetadataStampExpired(ILogger logger, int tables, string detail);

    [LoggerMessage(3010, LogLevel.Debug, "Metadata changes since the last check: {Changed} of {Tables} tables ({Names}).")]
    public static partial void MetadataChangesRead(ILogger logger, int changed, int tables, string names);
}
