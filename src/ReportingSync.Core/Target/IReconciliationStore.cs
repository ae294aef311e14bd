using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>What reconciliation needs of the target: a key stage to compare with, rows by id, and its run records.</summary>
public interface IReconciliationStore
{
    /// <summary>Opens a session with an empty temporary key table to compare the entity table with.</summary>
    Task<IKeyStage> BeginKeyStageAsync(TableLayout layout, CancellationToken cancellationToken);

    /// <summary>
    /// The rows with these ids, in layout column order, values as <see cref="ITableStore.ReadRowsAsync"/> gives them
    /// (soft-deleted rows are left out). Ids not in the table are absent.
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
