using System.Data.Common;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>What each dialect does on a connection its own way: transactions, the catalog, bulk loads, id lists, swaps.</summary>
internal abstract partial class SqlDialect
{
    /// <summary>
    /// Begins a transaction in which any error rolls back all of it. With <paramref name="lockDdl"/>, it also holds the
    /// replicator's DDL lock (<see cref="LockDdl"/>) until it ends, serialising schema changes across workers (CREATE ... IF
    /// NOT EXISTS alone can still collide in the catalogs when two sessions create the same object at once).
    /// </summary>
    public async Task<DbTransaction> BeginAsync(DbConnection connection, bool lockDdl, CancellationToken cancellationToken)
    {
        var transaction = await BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        if (lockDdl && LockDdl is { } statement)
        {
            try
            {
                await new SqlSession(connection, transaction).ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return transaction;
    }

    /// <summary>Begins a transaction in which any error rolls back all of it.</summary>
    protected abstract Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The statement that takes the replicator's DDL lock for the rest of the transaction, or null (a single writer needs none).</summary>
    protected virtual string? LockDdl => null;

    /// <summary>
    /// The columns of a table in table order, or null when it does not exist. <paramref name="qualified"/> is the quoted
    /// name (<see cref="Table"/> or <see cref="Owned"/>), <paramref name="name"/> the bare one.
    /// </summary>
    public abstract Task<IReadOnlyList<TargetColumn>?> ColumnsAsync(SqlSession session, string qualified, string name, CancellationToken cancellationToken);

    /// <summary>Creates the data and state schemas where missing (a no-op where the dialect has none).</summary>
    public abstract Task EnsureSchemasAsync(SqlSession session, CancellationToken cancellationToken);

    /// <summary>
    /// Copies rows straight into <paramref name="qualified"/> with the sync columns set to <paramref name="now"/> (a seed
    /// into an empty table), or returns null having written nothing when any of their ids is already there.
    /// </summary>
    public abstract Task<long?> TryBulkLoadAsync(
        SqlSession session, TableLayout layout, string table, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// The guarded upsert of rows (<see cref="EntitySql.Upsert"/>): a stored row is replaced only by a versionnumber at
    /// least as new. Returns the rows inserted or updated.
    /// </summary>
    public abstract Task<long> UpsertRowsAsync(
        SqlSession session, TableLayout layout, string table, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken cancellationToken);

    /// <summary>Makes a list of ids usable in statements of this session (see <see cref="IdList"/>).</summary>
    public abstract Task<IdList> StageIdsAsync(SqlSession session, IReadOnlyList<Guid> ids, CancellationToken cancellationToken);

    /// <summary>
    /// The first <paramref name="count"/> ids of a staged list, usable wherever the list is: a page with history stages
    /// its ids once, deletes first, and deletes with this head (<see cref="PageIds"/>).
    /// </summary>
    public IdList Head(IdList ids, int count) =>
        ids.Head(HeadEnd, () => Parameter(HeadEnd, ColumnStorageType.Int32, ids.FirstPosition + count));

    private const string HeadEnd = "@head";

    /// <summary>
    /// What DDL on the entity table would break or lose, read from the catalog inside the DDL's transaction (so nothing
    /// can change in between): objects built on the columns in <paramref name="alterations"/> and on the label view (which
    /// is dropped and created again around every such DDL), with how to drop and re-create each, and the ones that cannot
    /// be kept. With no alterations, only what is built on the label view (a refresh of the label view).
    /// </summary>
    public abstract Task<Dependents> DependentsAsync(SqlSession session, TableLayout layout, IReadOnlyList<ColumnAlteration> alterations, CancellationToken cancellationToken);

    /// <summary>
    /// For a dialect that cannot change a column's type in place (<see cref="RetypeColumn"/> is null: SQLite), in the swap's
    /// transaction after the label view is gone: replaces the live table with the shadow table, keeping what the catalog
    /// holds for the live table.
    /// </summary>
    public virtual Task ReplaceWithShadowAsync(SqlSession session, TableLayout layout, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{Provider} changes column types in place; the shadow table is applied to the live table instead.");

    // ---- Reconciliation key stage ----

    /// <summary>Statements that create the session's empty key stage <see cref="KeyStage"/> ("Id", "Version").</summary>
    public abstract IReadOnlyList<string> CreateKeyStage();

    /// <summary>The quoted key stage table.</summary>
    public abstract string KeyStage { get; }

    /// <summary>Appends keys to the session's key stage.</summary>
    public abstract Task AddKeysAsync(DbConnection connection, IReadOnlyList<RowKey> keys, CancellationToken cancellationToken);

    /// <summary>Drops the key stage (the connection is closing anyway).</summary>
    public virtual string DropKeyStage => DropTableIfExists(KeyStage);

    /// <summary>A statement to run before comparing (fresh planner statistics), or null.</summary>
    public virtual string? PrepareCompare => null;
}
