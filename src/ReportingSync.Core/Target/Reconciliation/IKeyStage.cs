using ReportingSync.Source;

namespace ReportingSync.Target;

/// <summary>
/// A session-scoped temporary table of source <c>(id, versionnumber)</c> keys in the target (binary COPY on PostgreSQL,
/// SqlBulkCopy into a #temp on SQL Server, batched inserts on SQLite). Set operations in the database then find
/// missing, extra and stale rows without moving the table's rows to the client. Disposing drops the stage.
/// </summary>
public interface IKeyStage : IAsyncDisposable
{
    /// <summary>Adds keys. Calls must not overlap (one session, one writer).</summary>
    Task AddAsync(IReadOnlyList<RowKey> keys, CancellationToken cancellationToken);

    /// <summary>Compares the stage with the table; returns exact counts and up to <paramref name="limit"/> differing rows.</summary>
    Task<KeyDifferences> CompareAsync(int limit, CancellationToken cancellationToken);
}
