using ReportingSync.Engine.Reconciliation;
using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>
/// The reporting database. Knows SQL; never sees HTTP. One implementation per dialect (PostgreSQL, SQLite, SQL Server).
/// </summary>
public interface IReportingTarget : IAsyncDisposable
{
    /// <summary>Dialect name as configured: SqlServer, PostgreSql or Sqlite.</summary>
    string Provider { get; }

    /// <summary>Opens a connection and runs a trivial query.</summary>
    /// <exception cref="TargetUnavailableException">The database cannot be reached or logged into.</exception>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>Creates the state schema and tables (and DeleteLog) if missing. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<EntityState>> LoadStatesAsync(CancellationToken cancellationToken);

    Task<EntityState?> LoadStateAsync(string entityName, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the entity's state row without touching data (status changes, errors).</summary>
    Task SaveStateAsync(EntityState state, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the entity table (and its indexes) from the layout when it does not exist. When it exists, widens in place
    /// the columns the layout declares wider than the table has them (longer string, more decimal places, bigint for
    /// int), so values the metadata now allows are stored whole; other differences are left to drift planning.
    /// </summary>
    Task EnsureTableAsync(TableLayout layout, CancellationToken cancellationToken);

    /// <summary>
    /// The per-page commit protocol, in ONE transaction: write rows (never regressing a stored row's versionnumber),
    /// apply deletes and log them to DeleteLog, and replace the state row with <see cref="PageCommit.State"/> only if
    /// the stored cursor equals <see cref="PageCommit.ExpectedCursor"/>. Nothing is visible until it all commits.
    /// </summary>
    /// <exception cref="CursorConflictException">The stored cursor was not the expected one; nothing was written.</exception>
    /// <exception cref="LeaseLostException">The commit was fenced (<see cref="PageCommit.LeaseOwner"/>) and the lease is another
    /// owner's or expired; nothing was written. A subclass of <see cref="CursorConflictException"/>.</exception>
    Task<CommitResult> CommitPageAsync(PageCommit commit, CancellationToken cancellationToken);

    /// <summary>Number of rows in an entity table.</summary>
    Task<long> CountRowsAsync(string tableName, CancellationToken cancellationToken);

    /// <summary>
    /// Streams every row of an entity table in layout column order, ordered by <c>Id</c>, with values converted back
    /// to the CLR types listed on <see cref="ColumnStorageType"/> (so they compare equal to what the source decoded).
    /// </summary>
    IAsyncEnumerable<object?[]> ReadRowsAsync(TableLayout layout, string? tableName, CancellationToken cancellationToken);

    /// <summary>Appends a lifecycle event (seed started, seed completed, re-seed, failure, ...) to the sync history.</summary>
    Task AppendHistoryAsync(SyncHistoryEntry entry, CancellationToken cancellationToken);

    /// <summary>Appends one drift step (applied or refused) to the SchemaChange table.</summary>
    Task AppendSchemaChangeAsync(SchemaChangeEntry entry, CancellationToken cancellationToken);

    // ---- Re-seed (shadow table, atomic swap) ----

    /// <summary>Drops <see cref="TableLayout.ShadowTableName"/> if it exists and creates it empty from the layout.</summary>
    Task CreateShadowTableAsync(TableLayout layout, CancellationToken cancellationToken);

    /// <summary>Drops the shadow table if it exists (an abandoned re-seed).</summary>
    Task DropShadowTableAsync(TableLayout layout, CancellationToken cancellationToken);

    /// <summary>
    /// In ONE transaction: compare-and-set the state row (both cursors must be as expected, like a page commit), replace
    /// the live table with the shadow table (live renamed away and dropped, shadow renamed to the live name, constraint
    /// and index names kept unique so the next re-seed can reuse the shadow name), recreate objects that depend on the
    /// live table (label views), and write <paramref name="state"/>. Readers see either the old or the new table,
    /// never an empty one.
    /// </summary>
    Task SwapShadowTableAsync(
        TableLayout layout, EntityState state, SyncCursor? expectedCursor, SyncCursor? expectedShadowCursor,
        CancellationToken cancellationToken);

    // ---- Schema drift ----

    /// <summary>The columns of a table as the database has them, or null when the table does not exist.</summary>
    Task<IReadOnlyList<TargetColumn>?> GetTableColumnsAsync(string tableName, CancellationToken cancellationToken);

    /// <summary>Applies add / widen / drop steps to the live table in one transaction, then refreshes dependent views.</summary>
    Task AlterTableAsync(TableLayout layout, IReadOnlyList<ColumnChange> changes, CancellationToken cancellationToken);

    // ---- Analyst-facing metadata (Data Export Service compatible) ----

    /// <summary>
    /// Brings OptionSetMetadata, GlobalOptionSetMetadata, StateMetadata, StatusMetadata, TargetMetadata and
    /// AttributeMetadata in line with these schemas (changed labels updated, removed options removed, nothing
    /// duplicated), and (re)creates each entity's <c>&lt;entity&gt;_labelled</c> view.
    /// </summary>
    Task SyncMetadataAsync(IReadOnlyList<(EntitySchema Schema, TableLayout Layout)> entities, CancellationToken cancellationToken);

    // ---- Commands (re-seed requests from the CLI / status page) ----

    Task<long> EnqueueCommandAsync(SyncCommand command, CancellationToken cancellationToken);

    /// <summary>Atomically marks pending commands for these entities as picked up by <paramref name="owner"/> and returns them.</summary>
    Task<IReadOnlyList<SyncCommand>> ClaimCommandsAsync(IReadOnlyCollection<string> entityNames, string owner, CancellationToken cancellationToken);

    Task CompleteCommandAsync(long id, bool succeeded, string? detail, CancellationToken cancellationToken);

    Task<SyncCommand?> GetCommandAsync(long id, CancellationToken cancellationToken);

    // ---- Leases (several replicas) ----

    /// <summary>
    /// Takes or renews the entity's lease if it is free, expired, or already held by <paramref name="owner"/>. Returns
    /// false when another owner holds an unexpired lease. Atomic across processes.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string entityName, string owner, DateTime expiresUtc, CancellationToken cancellationToken);

    /// <summary>Gives the lease up (graceful shutdown) so another replica can take it at once.</summary>
    Task ReleaseLeaseAsync(string entityName, string owner, CancellationToken cancellationToken);

    // ---- Quarantine ----

    Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(string entityName, CancellationToken cancellationToken);

    // ---- Reconciliation (row-level comparison with the source; see Engine/Reconciliation) ----

    /// <summary>Opens a session with an empty temporary key table to compare the entity table with.</summary>
    Task<IKeyStage> BeginKeyStageAsync(TableLayout layout, CancellationToken cancellationToken);

    /// <summary>
    /// The rows with these ids, in layout column order, values as <see cref="ReadRowsAsync"/> gives them (soft-deleted rows
    /// are left out). Ids not in the table are absent. Used to re-check suspects and to compare columns in deep mode.
    /// </summary>
    Task<RowBatch> ReadRowsByIdAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>Inserts a <see cref="ReconciliationStatus.Running"/> run row and returns its id.</summary>
    Task<long> StartReconciliationRunAsync(ReconciliationRun run, CancellationToken cancellationToken);

    /// <summary>Updates the run row (counts, status, detail) and appends its findings, in one transaction.</summary>
    Task FinishReconciliationRunAsync(ReconciliationRun run, IReadOnlyList<ReconciliationFinding> findings, CancellationToken cancellationToken);

    /// <summary>The latest runs, newest first (all entities when <paramref name="entityName"/> is null).</summary>
    Task<IReadOnlyList<ReconciliationRun>> LoadReconciliationRunsAsync(string? entityName, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReconciliationFinding>> LoadReconciliationFindingsAsync(long runId, CancellationToken cancellationToken);
}
