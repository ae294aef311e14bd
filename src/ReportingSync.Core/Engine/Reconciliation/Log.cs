using ReportingSync.Target;
using Microsoft.Extensions.Logging;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>Reconciliation's log messages; event ids 1100–1149 are reserved for it.</summary>
internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Information, "Reconciling {Entity}: {Mode}")]
    public static partial void Started(ILogger logger, string entity, string mode);

    [LoggerMessage(1101, LogLevel.Information, "Reconciled {Entity}: {Status}; source {SourceRows} rows, target {TargetRows}; missing {Missing}, extra {Extra}, stale {Stale}, column differences {ColumnDiffs}, repaired {Repaired} in {Seconds:F1} s")]
    public static partial void Finished(ILogger logger, string entity, ReconciliationStatus status, long sourceRows, long targetRows, long missing, long extra, long stale, long columnDiffs, long repaired, double seconds);

    [LoggerMessage(1102, LogLevel.Information, "Reconciling {Entity}: {Suspects} suspect rows; waiting for the running worker to finish two delta cycles before the last re-check")]
    public static partial void Settling(ILogger logger, string entity, int suspects);

    [LoggerMessage(1103, LogLevel.Warning, "Reconciling {Entity}: the worker did not finish two delta cycles within {Seconds:F0} s; reporting what is still different")]
    public static partial void SettleTimedOut(ILogger logger, string entity, double seconds);


    [LoggerMessage(1105, LogLevel.Error, "Reconciliation of {Entity} failed: {Message}")]
    public static partial void Failed(ILogger logger, string entity, string message);

    [LoggerMessage(1106, LogLevel.Information, "Scheduled reconciliation of {Entity} is due")]
    public static partial void Due(ILogger logger, string entity);
}
