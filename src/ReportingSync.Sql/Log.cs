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

    [LoggerMessage(2007, LogLevel.Warning, "Row quarantined in {Table}, column {Column}, id {RowId}, version {Version}: {Reason}")]
    public static partial void RowQuarantined(this ILogger logger, string table, string column, Guid rowId, long version, string reason);

    [LoggerMessage(2008, LogLevel.Information, "Upgraded the state tables of {Provider}: added {Columns} to EntityState")]
    public static partial void StateTablesUpgraded(this ILogger logger, string provider, string columns);

    [LoggerMessage(2009, LogLevel.Information, "Created shadow table {Table} ({Columns} columns)")]
    public static partial void ShadowCreated(this ILogger logger, string table, int columns);

    [LoggerMessage(2010, LogLevel.Information, "Dropped shadow table {Table}")]
    public static partial void ShadowDropped(this ILogger logger, string table);

    [LoggerMessage(2011, LogLevel.Information, "Swapped {Shadow} in as {Table}")]
    public static partial void ShadowSwapped(this ILogger logger, string shadow, string table);

    [LoggerMessage(2012, LogLevel.Warning, "Lease on {Entity} lost by {Owner}; nothing was written")]
    public static partial void LeaseLost(this ILogger logger, string entity, string owner);

    [LoggerMessage(2013, LogLevel.Information, "Altered {Table}: {Changes}")]
    public static partial void TableAltered(this ILogger logger, string table, string changes);

    [LoggerMessage(2014, LogLevel.Information, "Metadata synced for {Entities} entities: {Inserted} rows inserted, {Updated} updated, {Deleted} deleted")]
    public static partial void MetadataSynced(this ILogger logger, int entities, int inserted, int updated, int deleted);

    [LoggerMessage(2015, LogLevel.Debug, "Label view {View} recreated with {Labels} label columns")]
    public static partial void LabelViewCreated(this ILogger logger, string view, int labels);

    [LoggerMessage(2016, LogLevel.Warning, "No label view for {Entity}: the view name {View} is longer than the database allows")]
    public static partial void LabelViewSkipped(this ILogger logger, string entity, string view);

    [LoggerMessage(2017, LogLevel.Information, "Command {Id} ({Kind}) for {Entity} claimed by {Owner}")]
    public static partial void CommandClaimed(this ILogger logger, long id, string kind, string entity, string owner);

    [LoggerMessage(2018, LogLevel.Warning, "Command {Id} was not found; nothing was completed")]
    public static partial void CommandNotFound(this ILogger logger, long id);

    [LoggerMessage(2019, LogLevel.Information, "Started {Table} over: emptied it and committed the new read's first page ({Written} rows) in one transaction, {Elapsed} ms")]
    public static partial void TableStartedOver(this ILogger logger, string table, long written, long elapsed);

    [LoggerMessage(2030, LogLevel.Information, "History table {Table} created")]
    public static partial void HistoryTableCreated(this ILogger logger, string table);

    [LoggerMessage(2031, LogLevel.Warning, "History table {Table}: the type of {Column} changed; older versions keep their values in {Kept}")]
    public static partial void HistoryColumnKept(this ILogger logger, string table, string column, string kept);

    [LoggerMessage(2022, LogLevel.Information, "Applied {Shadow} to {Table}: {Written} rows written, {Removed} rows the re-seed did not find removed")]
    public static partial void ShadowApplied(this ILogger logger, string shadow, string table, long written, long removed);

    [LoggerMessage(2020, LogLevel.Information, "Kept {Count} objects built on {Table} through its schema change (dropped and created again): {Objects}")]
    public static partial void DependentsKept(this ILogger logger, string table, int count, string objects);

    [LoggerMessage(2021, LogLevel.Warning, "Label view {View} left as it is: creating it again would lose {Objects}")]
    public static partial void LabelViewKept(this ILogger logger, string view, string objects);
}
