using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// The tables the replicator owns besides entity tables, described once so every dialect creates, writes and reads the
/// same columns. <c>EntityState</c> mirrors <see cref="EntityState"/> (cursor as kind + url, enums by name so the rows
/// read well and survive reordering); <c>DeleteLog</c> keeps the Data Export Service's column names.
/// </summary>
internal static class StateTables
{
    public const string EntityState = "EntityState";
    public const string SyncHistory = "SyncHistory";
    public const string DeleteLog = "DeleteLog";

    /// <summary>Key column of EntityState.</summary>
    public const string EntityName = "EntityName";
    public const string CursorKind = "CursorKind";
    public const string CursorUrl = "CursorUrl";

    public static IReadOnlyList<StateColumn> EntityStateColumns { get; } =
    [
        new(EntityName, ColumnStorageType.String, false, 128),
        new("Status", ColumnStorageType.String, false, 16),
        new(CursorKind, ColumnStorageType.String, true, 16),
        new(CursorUrl, ColumnStorageType.String, true),
        new("ResumeStatus", ColumnStorageType.String, true, 16),
        new("LayoutFingerprint", ColumnStorageType.String, true, 64),
        new("SeedRowsCopied", ColumnStorageType.Int64, false),
        new("SeedRowsEstimated", ColumnStorageType.Int64, true),
        new("SeedStartedUtc", ColumnStorageType.DateTime, true),
        new("SeedCompletedUtc", ColumnStorageType.DateTime, true),
        new("RowsUpserted", ColumnStorageType.Int64, false),
        new("RowsDeleted", ColumnStorageType.Int64, false),
        new("Pages", ColumnStorageType.Int64, false),
        new("LastSyncUtc", ColumnStorageType.DateTime, true),
        new("LastSourceChangeUtc", ColumnStorageType.DateTime, true),
        new("LastError", ColumnStorageType.String, true),
        new("LastErrorUtc", ColumnStorageType.DateTime, true),
        new("ConsecutiveFailures", ColumnStorageType.Int32, false),
        new("LeaseOwner", ColumnStorageType.String, true, 256),
        new("LeaseExpiresUtc", ColumnStorageType.DateTime, true),
        new("UpdatedUtc", ColumnStorageType.DateTime, false),
    ];

    public static IReadOnlyList<StateColumn> SyncHistoryColumns { get; } =
    [
        new("Id", ColumnStorageType.Int64, false, Identity: true),
        new(EntityName, ColumnStorageType.String, false, 128),
        new("AtUtc", ColumnStorageType.DateTime, false),
        new("Event", ColumnStorageType.String, false, 64),
        new("Detail", ColumnStorageType.String, true),
    ];

    /// <summary>DES shape: RecordId is the guid as text, VersionNumber is unknown for deletes read from a delta.</summary>
    public static IReadOnlyList<StateColumn> DeleteLogColumns { get; } =
    [
        new("Id", ColumnStorageType.Int64, false, Identity: true),
        new(EntityName, ColumnStorageType.String, false, 64),
        new("RecordId", ColumnStorageType.String, false, 64),
        new("SinkDeleteTime", ColumnStorageType.DateTime, false),
        new("VersionNumber", ColumnStorageType.Int64, true),
    ];

    /// <summary>Values for <see cref="EntityStateColumns"/>, in that order, as the CLR types of their storage types.</summary>
    public static object?[] ToValues(EntityState s) =>
    [
        s.EntityName,
        s.Status.ToString(),
        s.Cursor?.Kind.ToString(),
        s.Cursor?.Url,
        s.ResumeStatus?.ToString(),
        s.LayoutFingerprint,
        s.SeedRowsCopied,
        s.SeedRowsEstimated,
        Utc(s.SeedStartedUtc),
        Utc(s.SeedCompletedUtc),
        s.RowsUpserted,
        s.RowsDeleted,
        s.Pages,
        Utc(s.LastSyncUtc),
        Utc(s.LastSourceChangeUtc),
        s.LastError,
        Utc(s.LastErrorUtc),
        s.ConsecutiveFailures,
        s.LeaseOwner,
        Utc(s.LeaseExpiresUtc),
        Utc(s.UpdatedUtc),
    ];

    /// <summary>The inverse of <see cref="ToValues"/>.</summary>
    public static EntityState FromValues(object?[] v)
    {
        var name = (string)v[0]!;
        return new EntityState
        {
            EntityName = name,
            Status = ParseEnum<EntityStatus>(name, "Status", (string)v[1]!),
            Cursor = v[2] is string kind ? new SyncCursor(ParseEnum<CursorKind>(name, CursorKind, kind), (string?)v[3] ?? "") : null,
            ResumeStatus = v[4] is string resume ? ParseEnum<EntityStatus>(name, "ResumeStatus", resume) : null,
            LayoutFingerprint = (string?)v[5],
            SeedRowsCopied = (long)v[6]!,
            SeedRowsEstimated = (long?)v[7],
            SeedStartedUtc = (DateTime?)v[8],
            SeedCompletedUtc = (DateTime?)v[9],
            RowsUpserted = (long)v[10]!,
            RowsDeleted = (long)v[11]!,
            Pages = (long)v[12]!,
            LastSyncUtc = (DateTime?)v[13],
            LastSourceChangeUtc = (DateTime?)v[14],
            LastError = (string?)v[15],
            LastErrorUtc = (DateTime?)v[16],
            ConsecutiveFailures = (int)v[17]!,
            LeaseOwner = (string?)v[18],
            LeaseExpiresUtc = (DateTime?)v[19],
            UpdatedUtc = (DateTime)v[20]!,
        };
    }

    /// <summary>Values for an insert into SyncHistory (without the identity column).</summary>
    public static object?[] ToValues(SyncHistoryEntry e) => [e.EntityName, Utc(e.AtUtc), e.Event, e.Detail];

    private static DateTime Utc(DateTime value) => UtcDateTime.AsUtc(value);

    private static DateTime? Utc(DateTime? value) => UtcDateTime.AsUtc(value);

    private static T ParseEnum<T>(string entity, string column, string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: false, out var value)
            ? value
            : throw new InvalidSchemaException(entity, $"the state row's {column} '{text}' is not a known {typeof(T).Name}.");
}
