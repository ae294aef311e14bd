using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>Entity tables: create, inspect and alter them (drift), re-seed through a shadow table, count and read rows.</summary>
public interface ITableStore
{
    /// <summary>
    /// Creates the entity table (and its indexes) from the layout when it does not exist. When it exists, widens in place
    /// the columns the layout declares wider than the table has them (longer string, more decimal places, bigint for
    /// int), so values the metadata now allows are stored whole; other differences are left to drift planning.
    /// </summary>
    Task EnsureTableAsync(TableLayout layout, CancellationToken cancellationToken);

    /// <summary>The columns of a table as the database has them, or null when the table does not exist.</summary>
    Task<IReadOnlyList<TargetColumn>?> GetTableColumnsAsync(string tableName, CancellationToken cancellationToken);

    /// <summary>Applies add / widen / drop steps to the live table in one transaction, then refreshes dependent views.</summary>
    Task AlterTableAsync(TableLayout layout, IReadOnlyList<ColumnChange> changes, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: <paramref name="change"/>, then drop <see cref="TableLayout.ShadowTableName"/> if it exists and
    /// create it empty from <paramref name="layout"/>. Returns the stored state.
    /// </summary>
    Task<EntityState> CreateShadowTableAsync(TableLayout layout, StateChange change, CancellationToken cancellationToken);

    /// <summary>In one transaction: <paramref name="change"/>, then drop the shadow table if it exists (an abandoned re-seed).</summary>
    Task<EntityState> DropShadowTableAsync(TableLayout layout, StateChange change, CancellationToken cancellationToken);

    /// <summary>
    /// In ONE transaction: <paramref name="change"/> (the new state moves the shadow cursor to the live one), replace the
    /// live table with the shadow table, keep what depends on the live table (label views), and apply the change's
    /// command updates. Readers see either the old or the new table, never an empty one.
    /// </summary>
    Task<EntityState> SwapShadowTableAsync(TableLayout layout, StateChange change, CancellationToken cancellationToken);

    /// <summary>
    /// Removes history versions (<see cref="LayoutOptions.History"/>) that closed before <paramref name="closedBefore"/>,
    /// in small batches; returns how many went. Open versions are never pruned.
    /// </summary>
    Task<int> PruneHistoryAsync(TableLayout layout, DateTime closedBefore, CancellationToken cancellationToken);

    /// <summary>Checks the entity's history table: one open version per id, no gaps or overlaps, the open version is the live row.</summary>
    Task<HistoryCheck> CheckHistoryAsync(TableLayout layout, CancellationToken cancellationToken);

    /// <summary>Number of rows in an entity table.</summary>
    Task<long> CountRowsAsync(string tableName, CancellationToken cancellationToken);

    /// <summary>
    /// Streams every row of an entity table in layout column order, ordered by <c>Id</c>, with values converted back
    /// to the CLR types listed on <see cref="ColumnStorageType"/> (so they compare equal to what the source decoded).
    /// </summary>
    IAsyncEnumerable<object?[]> ReadRowsAsync(TableLayout layout, string? tableName, CancellationToken cancellationToken);
}
