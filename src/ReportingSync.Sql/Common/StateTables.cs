using System.Text.Json;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// The tables the replicator owns besides entity tables and metadata tables, described once so every dialect creates,
/// writes and reads the same columns. <c>EntityState</c> mirrors <see cref="EntityState"/> (cursors as kind + url,
/// enums by name so the rows read well and survive reordering); <c>DeleteLog</c> keeps the Data Export Service's
/// column names.
/// </summary>
internal static class StateTables
{
    public const string EntityState = "EntityState";
    public const string SyncHistory = "SyncHistory";
    public const string SchemaChange = "SchemaChange";
    public const string DeleteLog = "DeleteLog";
    public const string Quarantine = "Quarantine";
    public const string Command = "Command";
    public const string SeedRange = "SeedRange";
    public const string ReconciliationRun = "ReconciliationRun";
    public const string ReconciliationFinding = "ReconciliationFinding";
    public const string WorkerStatus = "WorkerStatus";

    /// <summary>Key column of EntityState.</summary>
    public const string EntityName = "EntityName";
    public const string CursorKind = "CursorKind";
    public const string CursorUrl = "CursorUrl";
    public const string ShadowCursorKind = "ShadowCursorKind";
    public const string ShadowCursorUrl = "ShadowCursorUrl";
    public const string LeaseOwner = "LeaseOwner";
    public const string LeaseExpiresUtc = "LeaseExpiresUtc";
    public const string Revision = "Revision";

    /// <summary>
    /// Columns of EntityState. The first version of the table ended at UpdatedUtc; the columns after it were added
    /// later and are appended by <see cref="EntityStateAddedColumns"/> to tables that version created, so a fresh table
    /// and an upgraded one have the same column order.
    /// </summary>
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
        new(LeaseOwner, ColumnStorageType.String, true, 256),
        new(LeaseExpiresUtc, ColumnStorageType.DateTime, true),
        new("UpdatedUtc", ColumnStorageType.DateTime, false),

        // Added in the second version (re-seeds, lag); all nullable so ALTER TABLE ... ADD works on a filled table.
        new("LastLagSeconds", ColumnStorageType.Double, true),
        new(ShadowCursorKind, ColumnStorageType.String, true, 16),
        new(ShadowCursorUrl, ColumnStorageType.String, true),
        new("ShadowLayoutFingerprint", ColumnStorageType.String, true, 64),
        new("ReseedReason", ColumnStorageType.String, true, 32),
        new("ReseedStartedUtc", ColumnStorageType.DateTime, true),

        // Added in the third version (one commit path): the compare-and-set revision and a parallel seed's typed progress
        // (its ranges are rows of SeedRange). A NULL revision (a row written before) reads as 0.
        new(Revision, ColumnStorageType.Int64, true),
        new("ParallelSeed", ColumnStorageType.Boolean, true),
        new("ParallelSeedToken", ColumnStorageType.String, true),
        new("ParallelSeedKeysNext", ColumnStorageType.String, true),
        new("ParallelSeedFrontier", ColumnStorageType.Guid, true),

        // Added in the fourth version: the Dataverse organisation (WhoAmI) the cursors belong to.
        new("OrganizationId", ColumnStorageType.Guid, true),
        // Added in the fifth version: a re-seed whose swap waits for objects it cannot keep (since when, and the objects
        // as JSON: name, reason, remedy), so status, the status page and metrics of every replica can name them.
        new("ReseedBlockedUtc", ColumnStorageType.DateTime, true),
        new("ReseedBlockedBy", ColumnStorageType.String, true),
    ];

    /// <summary>Columns a state change never writes: the key, and the lease (written only by lease operations and the fence).</summary>
    public static IReadOnlySet<string> NotChangedByState { get; } = new HashSet<string>(StringComparer.Ordinal) { EntityName, LeaseOwner, LeaseExpiresUtc };

    /// <summary>Columns a table created by the first version lacks, in the order they are appended.</summary>
    public static IReadOnlyList<StateColumn> EntityStateAddedColumns { get; } = EntityStateColumns.Skip(21).ToList();

    public static IReadOnlyList<StateColumn> SyncHistoryColumns { get; } =
    [
        new("Id", ColumnStorageType.Int64, false, Identity: true),
        new(EntityName, ColumnStorageType.String, false, 128),
        new("AtUtc", ColumnStorageType.DateTime, false),
        new("Event", ColumnStorageType.String, false, 64),
        new("Detail", ColumnStorageType.String, true),
    ];

    /// <summary>
    /// The two lists of an insert of the table's <see cref="OwnedTable.Writable"/> columns: <c>a, b</c> quoted by
    /// <paramref name="quote"/> and <c>@a, @b</c> named by <paramref name="parameter"/>, in the dialect's spelling.
    /// </summary>
    public static (string Columns, string Values) InsertLists(OwnedTable table, Func<string, string> quote, Func<string, string> parameter) =>
        (string.Join(", ", table.Writable.Select(c => quote(c.Name))), string.Join(", ", table.Writable.Select(c => parameter(c.Name))));

    /// <summary>One row per drift step; see <see cref="SchemaChangeEntry"/>. Action holds a <see cref="DriftAction"/> name.</summary>
    public static IReadOnlyList<StateColumn> SchemaChangeColumns { get; } =
    [
        new("Id", ColumnStorageType.Int64, false, Identity: true),
        new(EntityName, ColumnStorageType.String, false, 128),
        new("ChangedUtc", ColumnStorageType.DateTime, false),
        new("ColumnName", ColumnStorageType.String, false, 128),
        new("Change", ColumnStorageType.String, false, 256),
        new("Action", ColumnStorageType.String, false, 32),
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

    /// <summary>One row per source row the target could not hold (the latest version wins); see <see cref="QuarantinedRow"/>.</summary>
    public static IReadOnlyList<StateColumn> QuarantineColumns { get; } =
    [
        new(EntityName, ColumnStorageType.String, false, 128),
        new("RecordId", ColumnStorageType.Guid, false),
        new("VersionNumber", ColumnStorageType.Int64, false),
        new("ColumnName", ColumnStorageType.String, false, 128),
        new("Reason", ColumnStorageType.String, false),
        new("AtUtc", ColumnStorageType.DateTime, false),
    ];

    /// <summary>Requests for running workers; see <see cref="SyncCommand"/>.</summary>
    public static IReadOnlyList<StateColumn> CommandColumns { get; } =
    [
        new("Id", ColumnStorageType.Int64, false, Identity: true),
        new(EntityName, ColumnStorageType.String, false, 128),
        new("Kind", ColumnStorageType.String, false, 32),
        new("RequestedUtc", ColumnStorageType.DateTime, false),
        new("RequestedBy", ColumnStorageType.String, true, 256),
        new("Status", ColumnStorageType.String, false, 16),
        new("PickedUpBy", ColumnStorageType.String, true, 256),
        new("PickedUpUtc", ColumnStorageType.DateTime, true),
        new("CompletedUtc", ColumnStorageType.DateTime, true),
        new("Detail", ColumnStorageType.String, true),
    ];

    /// <summary>One row per reconciliation of one entity; see <see cref="ReconciliationRun"/>.</summary>
    public static IReadOnlyList<StateColumn> ReconciliationRunColumns { get; } =
    [
        new("Id", ColumnStorageType.Int64, false, Identity: true),
        new(EntityName, ColumnStorageType.String, false, 128),
        new("StartedUtc", ColumnStorageType.DateTime, false),
        new("FinishedUtc", ColumnStorageType.DateTime, true),
        new("SourceRows", ColumnStorageType.Int64, false),
        new("TargetRows", ColumnStorageType.Int64, false),
        new("Missing", ColumnStorageType.Int64, false),
        new("Extra", ColumnStorageType.Int64, false),
        new("Stale", ColumnStorageType.Int64, false),
        new("ColumnDiffs", ColumnStorageType.Int64, false),
        new("Repaired", ColumnStorageType.Int64, false),
        new("Status", ColumnStorageType.String, false, 16),
        new("Detail", ColumnStorageType.String, true),
    ];

    /// <summary>The differing rows of a run, capped per run; see <see cref="ReconciliationFinding"/>.</summary>
    public static IReadOnlyList<StateColumn> ReconciliationFindingColumns { get; } =
    [
        new("Id", ColumnStorageType.Int64, false, Identity: true),
        new("RunId", ColumnStorageType.Int64, false),
        new(EntityName, ColumnStorageType.String, false, 128),
        new("RecordId", ColumnStorageType.Guid, false),
        new("Kind", ColumnStorageType.String, false, 16),
        new("SourceVersion", ColumnStorageType.Int64, true),
        new("TargetVersion", ColumnStorageType.Int64, true),
        new("ColumnName", ColumnStorageType.String, true, 128),
    ];

    /// <summary>One row per key range of a parallel seed in progress; see <see cref="SeedRange"/>.</summary>
    public static IReadOnlyList<StateColumn> SeedRangeColumns { get; } =
    [
        new(EntityName, ColumnStorageType.String, false, 128),
        new("Ordinal", ColumnStorageType.Int32, false),
        new("RangeFrom", ColumnStorageType.Guid, true),
        new("RangeTo", ColumnStorageType.Guid, true),
        new("NextLink", ColumnStorageType.String, true),
        new("Done", ColumnStorageType.Boolean, false),
    ];

    /// <summary>
    /// One row per replica, which it replaces every few seconds; see <see cref="WorkerReport"/>. PollIntervals is a JSON
    /// object of entity name to seconds, readable as it stands and in PostgreSQL castable to jsonb.
    /// </summary>
    public static IReadOnlyList<StateColumn> WorkerStatusColumns { get; } =
    [
        new("WorkerId", ColumnStorageType.String, false, 256),
        new("UpdatedUtc", ColumnStorageType.DateTime, false),
        new("RequestBudgetPerSecond", ColumnStorageType.Double, false),
        new("RequestsLast5Minutes", ColumnStorageType.Int64, false),
        new("PollIntervals", ColumnStorageType.String, false),
    ];

    public static OwnedTable EntityStateTable { get; } = new(EntityState, true, EntityStateColumns, [EntityName]);

    public static OwnedTable SeedRangeTable { get; } = new(SeedRange, true, SeedRangeColumns, [EntityName, "Ordinal"]);

    public static OwnedTable SyncHistoryTable { get; } = new(SyncHistory, true, SyncHistoryColumns, ["Id"])
    {
        Indexes = [new OwnedIndex(false, [EntityName, "AtUtc"])],
    };

    public static OwnedTable SchemaChangeTable { get; } = new(SchemaChange, true, SchemaChangeColumns, ["Id"])
    {
        Indexes = [new OwnedIndex(false, [EntityName, "ChangedUtc"])],
    };

    public static OwnedTable QuarantineTable { get; } = new(Quarantine, true, QuarantineColumns, [EntityName, "RecordId"]);

    public static OwnedTable CommandTable { get; } = new(Command, true, CommandColumns, ["Id"])
    {
        Indexes = [new OwnedIndex(false, ["Status", EntityName])],
    };

    public static OwnedTable ReconciliationRunTable { get; } = new(ReconciliationRun, true, ReconciliationRunColumns, ["Id"])
    {
        Indexes = [new OwnedIndex(false, [EntityName, "StartedUtc"])],
    };

    public static OwnedTable ReconciliationFindingTable { get; } = new(ReconciliationFinding, true, ReconciliationFindingColumns, ["Id"])
    {
        Indexes = [new OwnedIndex(false, ["RunId"])],
    };

    public static OwnedTable WorkerStatusTable { get; } = new(WorkerStatus, true, WorkerStatusColumns, ["WorkerId"]);

    public static OwnedTable DeleteLogTable { get; } = new(DeleteLog, false, DeleteLogColumns, ["Id"]);

    /// <summary>Every table <c>InitializeAsync</c> creates, state first, then the data-schema ones.</summary>
    public static IReadOnlyList<OwnedTable> All { get; } =
        [
            EntityStateTable, SeedRangeTable, SyncHistoryTable, SchemaChangeTable, QuarantineTable, CommandTable, ReconciliationRunTable,
            ReconciliationFindingTable, WorkerStatusTable, DeleteLogTable, .. MetadataTables.All,
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
        s.LastLagSeconds,
        s.ShadowCursor?.Kind.ToString(),
        s.ShadowCursor?.Url,
        s.ShadowLayoutFingerprint,
        s.ReseedReason,
        Utc(s.ReseedStartedUtc),
        s.Revision,
        s.ParallelSeed is null ? null : true,
        s.ParallelSeed?.Token,
        s.ParallelSeed?.KeysNext,
        s.ParallelSeed?.Frontier,
        s.OrganizationId,
        s.ReseedBlocked is null ? null : Utc(s.ReseedBlocked.SinceUtc),
        s.ReseedBlocked is null ? null : BlockingObjectsJson.Write(s.ReseedBlocked.Objects),
    ];

    /// <summary>The inverse of <see cref="ToValues(Model.EntityState)"/>.</summary>
    public static EntityState FromValues(object?[] v)
    {
        var name = (string)v[0]!;
        return new EntityState
        {
            EntityName = name,
            Status = ParseEnum<EntityStatus>(name, "Status", (string)v[1]!),
            Cursor = Cursor(name, CursorKind, v[2], v[3]),
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
            LastLagSeconds = (double?)v[21],
            ShadowCursor = Cursor(name, ShadowCursorKind, v[22], v[23]),
            ShadowLayoutFingerprint = (string?)v[24],
            ReseedReason = (string?)v[25],
            ReseedStartedUtc = (DateTime?)v[26],
            Revision = (long?)v[27] ?? 0,
            ParallelSeed = v[28] is true ? new ParallelSeedProgress((string?)v[29], [], (string?)v[30], (Guid?)v[31]) : null,
            OrganizationId = (Guid?)v[32],
            ReseedBlocked = v[33] is DateTime since ? new ReseedBlock(since, BlockingObjectsJson.Read(name, (string?)v[34])) : null,
        };
    }

    /// <summary>Values for <see cref="SeedRangeColumns"/>.</summary>
    public static object?[] ToValues(string entity, int ordinal, SeedRange r) => [entity, ordinal, r.From, r.To, r.Next, r.Done];

    /// <summary>A SeedRange row read back: its entity, ordinal and range.</summary>
    public static (string Entity, int Ordinal, SeedRange Range) SeedRangeFromValues(object?[] v) =>
        ((string)v[0]!, (int)v[1]!, new SeedRange((Guid?)v[2], (Guid?)v[3], (string?)v[4], (bool)v[5]!));

    /// <summary>Values for an insert into SyncHistory (without the identity column).</summary>
    public static object?[] ToValues(SyncHistoryEntry e) => [e.EntityName, Utc(e.AtUtc), e.Event, e.Detail];

    /// <summary>Values for an insert into SchemaChange (without the identity column).</summary>
    public static object?[] ToValues(SchemaChangeEntry e) =>
        [e.EntityName, Utc(e.ChangedUtc), e.ColumnName, e.Change, e.Action.ToString(), e.Detail];

    /// <summary>A Command row read back (all <see cref="CommandColumns"/>, identity included).</summary>
    public static SyncCommand CommandFromValues(object?[] v) => new()
    {
        Id = (long)v[0]!,
        EntityName = (string)v[1]!,
        Kind = (string)v[2]!,
        RequestedUtc = (DateTime)v[3]!,
        RequestedBy = (string?)v[4],
        Status = (string)v[5]!,
        PickedUpBy = (string?)v[6],
        PickedUpUtc = (DateTime?)v[7],
        CompletedUtc = (DateTime?)v[8],
        Detail = (string?)v[9],
    };

    /// <summary>A Quarantine row read back (all <see cref="QuarantineColumns"/>).</summary>
    public static QuarantinedRow QuarantineFromValues(object?[] v) =>
        new((string)v[0]!, (Guid)v[1]!, (long)v[2]!, (string)v[3]!, (string)v[4]!, (DateTime)v[5]!);

    /// <summary>Values for the writable (non-identity) <see cref="ReconciliationRunColumns"/>, in order.</summary>
    public static object?[] ToValues(ReconciliationRun r) =>
    [
        r.EntityName, Utc(r.StartedUtc), Utc(r.FinishedUtc), r.SourceRows, r.TargetRows, r.Missing, r.Extra, r.Stale,
        r.ColumnDiffs, r.Repaired, r.Status.ToString(), r.Detail,
    ];

    /// <summary>A ReconciliationRun row read back (all <see cref="ReconciliationRunColumns"/>).</summary>
    public static ReconciliationRun ReconciliationRunFromValues(object?[] v) => new()
    {
        Id = (long)v[0]!,
        EntityName = (string)v[1]!,
        StartedUtc = (DateTime)v[2]!,
        FinishedUtc = (DateTime?)v[3],
        SourceRows = (long)v[4]!,
        TargetRows = (long)v[5]!,
        Missing = (long)v[6]!,
        Extra = (long)v[7]!,
        Stale = (long)v[8]!,
        ColumnDiffs = (long)v[9]!,
        Repaired = (long)v[10]!,
        Status = ParseEnum<ReconciliationStatus>((string)v[1]!, "Status", (string)v[11]!),
        Detail = (string?)v[12],
    };

    /// <summary>Values for the writable <see cref="ReconciliationFindingColumns"/>, in order.</summary>
    public static object?[] ToValues(ReconciliationFinding f) =>
        [f.RunId, f.EntityName, f.RecordId, f.Kind.ToString(), f.SourceVersion, f.TargetVersion, f.ColumnName];

    /// <summary>A ReconciliationFinding row read back (all <see cref="ReconciliationFindingColumns"/>).</summary>
    public static ReconciliationFinding ReconciliationFindingFromValues(object?[] v) =>
        new((Guid)v[3]!, ParseEnum<FindingKind>((string)v[2]!, "Kind", (string)v[4]!), (long?)v[5], (long?)v[6], (string?)v[7])
        {
            RunId = (long)v[1]!,
            EntityName = (string)v[2]!,
        };

    /// <summary>Values for <see cref="WorkerStatusColumns"/>, in order; the intervals as a JSON object, sorted by entity.</summary>
    public static object?[] ToValues(WorkerReport r) =>
    [
        r.WorkerId, Utc(r.UpdatedUtc), r.BudgetPerSecond, r.RequestsLastFiveMinutes,
        JsonSerializer.Serialize(new SortedDictionary<string, double>(r.PollIntervalSeconds.ToDictionary(), StringComparer.Ordinal)),
    ];

    /// <summary>A WorkerStatus row read back; intervals that do not parse read as none (the row is only a report).</summary>
    public static WorkerReport WorkerReportFromValues(object?[] v) =>
        new((string)v[0]!, (DateTime)v[1]!, (double)v[2]!, (long)v[3]!, Intervals((string?)v[4]));

    private static Dictionary<string, double> Intervals(string? json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, double>>(json ?? "{}") is { } parsed
                ? new Dictionary<string, double>(parsed, StringComparer.OrdinalIgnoreCase)
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Command status values (<see cref="SyncCommand.Status"/>).</summary>
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Completed = "Completed";
    public const string Failed = "Failed";

    private static SyncCursor? Cursor(string entity, string column, object? kind, object? url) =>
        kind is string k ? new SyncCursor(ParseEnum<CursorKind>(entity, column, k), (string?)url ?? "") : null;

    private static DateTime Utc(DateTime value) => UtcDateTime.AsUtc(value);

    private static DateTime? Utc(DateTime? value) => UtcDateTime.AsUtc(value);

    private static T ParseEnum<T>(string entity, string column, string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: false, out var value)
            ? value
            : throw new InvalidSchemaException(entity, $"the state row's {column} '{text}' is not a known {typeof(T).Name}.");
}
