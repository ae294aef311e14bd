using Microsoft.Extensions.Logging;
using ReportingSync.Model;

namespace ReportingSync.Engine;

/// <summary>The engine's log messages. Event ids are stable: dashboards and alerts may key on them.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Seeding {Entity}: starting a change-tracking initial read")]
    public static partial void SeedStarted(ILogger logger, string entity);

    [LoggerMessage(1001, LogLevel.Information, "Seeding {Entity}: resuming after {Rows} rows already committed")]
    public static partial void SeedResumed(ILogger logger, string entity, long rows);

    [LoggerMessage(1002, LogLevel.Warning, "Seeding {Entity}: the saved link was rejected, restarting the read from the beginning ({Reason})")]
    public static partial void SeedRestarted(ILogger logger, string entity, string reason);

    [LoggerMessage(1003, LogLevel.Information, "Seeded {Entity}: {Rows} rows; streaming changes from now on")]
    public static partial void SeedCompleted(ILogger logger, string entity, long rows);

    [LoggerMessage(1010, LogLevel.Debug, "Committed page of {Entity}: {Upserts} upserts ({Written} written), {Deletes} deletes in {Milliseconds:F0} ms; next {CursorKind}")]
    public static partial void PageCommitted(ILogger logger, string entity, int upserts, int deletes, long written, double milliseconds, CursorKind cursorKind);

    [LoggerMessage(1011, LogLevel.Information, "Synced {Entity}: {Upserts} upserts, {Deletes} deletes in {Pages} pages, {Milliseconds:F0} ms; lag {LagSeconds:F1} s")]
    public static partial void CycleCompleted(ILogger logger, string entity, long upserts, long deletes, int pages, double milliseconds, double lagSeconds);

    [LoggerMessage(1020, LogLevel.Error, "Sync of {Entity} failed ({Kind}): {Message}")]
    public static partial void CycleFailed(ILogger logger, string entity, string kind, string message);

    [LoggerMessage(1021, LogLevel.Warning, "Could not record the failure of {Entity} in the state table: {Message}")]
    public static partial void CouldNotRecordFailure(ILogger logger, string entity, string message);

    [LoggerMessage(1022, LogLevel.Information, "{Entity} will retry in {Seconds:F0} s (failure {Failures} in a row)")]
    public static partial void RetryScheduled(ILogger logger, string entity, double seconds, int failures);

    [LoggerMessage(1030, LogLevel.Warning, "The metadata of {Entity} no longer matches its table (fingerprint {Stored} → {Current}); schema drift handling applies")]
    public static partial void LayoutChanged(ILogger logger, string entity, string stored, string current);

    [LoggerMessage(1031, LogLevel.Warning, "Schema drift on {Entity}: {Step}")]
    public static partial void DriftStep(ILogger logger, string entity, string step);

    [LoggerMessage(1032, LogLevel.Information, "Requested a re-seed of {Entity} so existing rows get the new columns / types")]
    public static partial void DriftReseedRequested(ILogger logger, string entity);

    [LoggerMessage(1033, LogLevel.Information, "Lost the lease on {Entity}: {Reason}")]
    public static partial void LeaseLost(ILogger logger, string entity, string reason);

    [LoggerMessage(1034, LogLevel.Information, "Took the lease on {Entity} as {Owner}")]
    public static partial void LeaseTaken(ILogger logger, string entity, string owner);

    [LoggerMessage(1035, LogLevel.Warning, "Could not prepare {Entity} yet: {Reason}; it is retried with backoff")]
    public static partial void PrepareFailed(ILogger logger, string entity, string reason);

    [LoggerMessage(1040, LogLevel.Information, "Supervisor started {Count} entities: {Entities}")]
    public static partial void SupervisorStarted(ILogger logger, int count, string entities);

    [LoggerMessage(1041, LogLevel.Information, "Supervisor stopping: draining current pages")]
    public static partial void SupervisorStopping(ILogger logger);

    [LoggerMessage(1050, LogLevel.Information, "Re-seeding {Entity} ({Reason}): filling the shadow table while the live table keeps streaming")]
    public static partial void ReseedStarted(ILogger logger, string entity, string reason);

    [LoggerMessage(1051, LogLevel.Information, "Re-seeding {Entity}: resuming after {Rows} rows already in the shadow table")]
    public static partial void ReseedResumed(ILogger logger, string entity, long rows);

    [LoggerMessage(1052, LogLevel.Warning, "Re-seeding {Entity}: starting the shadow read again ({Reason})")]
    public static partial void ReseedRestarted(ILogger logger, string entity, string reason);

    [LoggerMessage(1053, LogLevel.Information, "Re-seeded {Entity}: swapped in {Rows} rows; streaming from the new table")]
    public static partial void ReseedCompleted(ILogger logger, string entity, long rows);

    [LoggerMessage(1058, LogLevel.Warning, "Re-seeding {Entity}: the swap waits, the live table keeps streaming; the swap cannot keep {Objects}")]
    public static partial void ReseedBlocked(ILogger logger, string entity, string objects);

    [LoggerMessage(1054, LogLevel.Warning, "Re-seeding {Entity}: the live table's change token expired; it stays as it is until the swap ({Reason})")]
    public static partial void LiveTokenExpired(ILogger logger, string entity, string reason);

    [LoggerMessage(1055, LogLevel.Information, "Command {Id} ({Kind}) for {Entity} from {RequestedBy}: {Outcome}")]
    public static partial void CommandHandled(ILogger logger, long id, string kind, string entity, string? requestedBy, string outcome);

    [LoggerMessage(1056, LogLevel.Information, "Seeding {Entity} in parallel: {Lanes} key ranges at a time, cut at about {RangeRows} rows each while a keys-only change-tracking read takes the token to stream from afterwards")]
    public static partial void ParallelSeedStarted(ILogger logger, string entity, int lanes, long rangeRows);

    [LoggerMessage(1057, LogLevel.Information, "Seeding {Entity}: the change-tracking token is taken ({Keys} keys read in this run); {Ranges} key ranges in all")]
    public static partial void ParallelSeedPlanned(ILogger logger, string entity, long keys, int ranges);

    [LoggerMessage(1042, LogLevel.Warning, "Could not initialise the target: {Reason}; retrying in {Seconds:F1} s (attempt {Attempt})")]
    public static partial void StartupRetry(ILogger logger, string reason, double seconds, int attempt);

    [LoggerMessage(1070, LogLevel.Information, "Metadata changed since the last check for {Changed} of {Tables} tables ({Names}){Expired}; re-reading their definitions")]
    public static partial void MetadataChanged(ILogger logger, int changed, int tables, string names, string expired);

    [LoggerMessage(1071, LogLevel.Warning, "The metadata-change check failed ({Reason}); trying again in {Seconds:F0} s")]
    public static partial void MetadataCheckFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(1072, LogLevel.Warning, "Could not take the first metadata stamp ({Reason}); the first check will re-read every table's definition")]
    public static partial void MetadataStampUnavailable(ILogger logger, string reason);

    [LoggerMessage(1073, LogLevel.Debug, "Could not write this worker's poll intervals and request count to the state schema ({Reason}); trying again shortly")]
    public static partial void PaceNotReported(ILogger logger, string reason);

    [LoggerMessage(1060, LogLevel.Information, "Repair of {Entity} met a commit by the worker; reading the rows again")]
    public static partial void RepairRetry(ILogger logger, string entity);

    [LoggerMessage(1061, LogLevel.Information, "Repaired {Rows} rows of {Entity} for command {Id} ({Count} rows asked)")]
    public static partial void Repaired(ILogger logger, string entity, long rows, long id, int count);

    [LoggerMessage(1062, LogLevel.Information, "{Entity}: {Rows} rows deleted and restored since the last read are kept (the restore supersedes the delete)")]
    public static partial void RestoredRowsKept(ILogger logger, string entity, int rows);

    [LoggerMessage(1063, LogLevel.Warning, "{Entity}: Dataverse rejected the saved link ({Reason}); re-seeding into a shadow table while the live table keeps its rows")]
    public static partial void CursorRejectedReseed(ILogger logger, string entity, string reason);

    [LoggerMessage(1064, LogLevel.Information, "{Entity}: the organisation's URL is now {Url}; saved links moved onto it")]
    public static partial void LinksRebased(ILogger logger, string entity, string url);

    [LoggerMessage(1065, LogLevel.Warning, "{Entity}: its saved links cannot be used with organisation {OrganizationId} at {Url} ({Reason}); reading every row again")]
    public static partial void OrganizationChanged(ILogger logger, string entity, Guid organizationId, string url, string reason);

    [LoggerMessage(1066, LogLevel.Information, "{Entity}: read {Rows} quarantined rows again after a metadata read; {Written} written, {Left} still quarantined")]
    public static partial void QuarantineRetried(ILogger logger, string entity, int rows, long written, int left);

    [LoggerMessage(1090, LogLevel.Information, "{Entity}: pruned {Versions} history versions closed more than {Retention} ago")]
    public static partial void HistoryPruned(ILogger logger, string entity, int versions, TimeSpan retention);
}
