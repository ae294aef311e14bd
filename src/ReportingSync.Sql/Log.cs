using Microsoft.Extensions.Logging;

namespace ReportingSync.Sql;

/// <summary>Every log line of ReportingSync.Sql, source-generated, with stable event ids (2000-2099).</summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Information, "Reporting target {Provider} ready: {Endpoint}")]
    public static partial void TargetInitialized(this ILogger logger, string provider, string endpoint);

    [LoggerMessage(2001, LogLevel.Information, "Created table {Table} ({Columns} columns)")]
    public static partial void TableCreated(this ILogger logger, string table, int columns);

    [LoggerMessage(2002, LogLevel.Debug, "Committed page for {Entity} into {Table} ({Mode}): {Written} rows written, {Deleted} deleted, {Elapsed} ms")]
    public static partial void PageCommitted(this ILogger logger, string entity, string table, string mode, long written, long deleted, long elapsed);

    [LoggerMessage(2003, LogLevel.Information, "Bulk load into {Table} met existing ids (a resumed or overlapping read); the page was upserted instead")]
    public static partial void BulkLoadFellBack(this ILogger logger, string table);

    [LoggerMessage(2004, LogLevel.Warning, "Cursor conflict for {Entity}: the stored cursor is not the expected one; nothing was written")]
    public static partial void CursorConflict(this ILogger logger, string entity);

    [LoggerMessage(2005, LogLevel.Warning, "Row rejected in {Table}, column {Column}, id {RowId}: {Reason}")]
    public static partial void RowRejected(this ILogger logger, string table, string column, Guid? rowId, string reason);

    [LoggerMessage(2006, LogLevel.Warning, "Reporting database unavailable (transient: {Transient}): {Message}")]
    public static partial void Unavailable(this ILogger logger, bool transient, string message);
}
