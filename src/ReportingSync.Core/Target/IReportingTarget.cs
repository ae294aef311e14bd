using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>
/// The reporting database. Knows SQL; never sees HTTP. One implementation per dialect (PostgreSQL, SQLite, SQL Server).
/// </summary>
public interface IReportingTarget : IAsyncDisposable
{
    /// <summary>Dialect name as configured: PostgreSql, Sqlite or SqlServer.</summary>
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

    /// <summary>Creates the entity table (and its indexes) from the layout when it does not exist.</summary>
    Task EnsureTableAsync(TableLayout layout, CancellationToken cancellationToken);

    /// <summary>
    /// The per-page commit protocol, in ONE transaction: write rows (never regressing a stored row's versionnumber),
    /// apply deletes and log them to DeleteLog, and replace the state row with <see cref="PageCommit.State"/> only if
    /// the stored cursor equals <see cref="PageCommit.ExpectedCursor"/>. Nothing is visible until it all commits.
    /// </summary>
    /// <exception cref="CursorConflictException">The stored cursor was not the expected one; nothing was written.</exception>
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
}
