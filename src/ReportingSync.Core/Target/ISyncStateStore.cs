using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>
/// The replicator's own rows for each entity: its state, its lease, its commands, its history and its quarantine. Every
/// change of a state row is a <see cref="StateChange"/>: a compare-and-set on the revision, fenced by the lease.
/// </summary>
public interface ISyncStateStore
{
    Task<IReadOnlyList<EntityState>> LoadStatesAsync(CancellationToken cancellationToken);

    Task<EntityState?> LoadStateAsync(string entityName, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="initial"/> unless the entity has a row; returns the stored row either way.</summary>
    Task<EntityState> CreateStateAsync(EntityState initial, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> in one transaction; returns the stored row.</summary>
    /// <exception cref="CursorConflictException">The stored revision moved; nothing was written.</exception>
    /// <exception cref="LeaseLostException">The fence failed; nothing was written.</exception>
    Task<EntityState> ChangeStateAsync(StateChange change, CancellationToken cancellationToken);

    /// <summary>Appends a lifecycle event that changes no state (a restarted read, say) to the sync history.</summary>
    Task AppendHistoryAsync(SyncHistoryEntry entry, CancellationToken cancellationToken);

    /// <summary>Appends one drift step (applied or refused) to the SchemaChange table.</summary>
    Task AppendSchemaChangeAsync(SchemaChangeEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(string entityName, CancellationToken cancellationToken);

    /// <summary>
    /// Takes or renews the entity's lease for <paramref name="duration"/> from the database's now, if it is free, expired
    /// by the database's clock, or already <paramref name="owner"/>'s. Returns false when another owner holds it. Atomic
    /// across processes; creates the state row when the entity has none.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string entityName, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up (graceful shutdown) so another replica can take it at once.</summary>
    Task ReleaseLeaseAsync(string entityName, string owner, CancellationToken cancellationToken);

    /// <summary>Writes a request for whichever worker holds the entity (CLI, status page, drift).</summary>
    Task<long> EnqueueCommandAsync(SyncCommand command, CancellationToken cancellationToken);

    /// <summary>
    /// The entity's commands not finished: Pending ones, and Running ones (a worker picks those up again when the
    /// entity's state shows no re-seed answering them). Claiming is part of a <see cref="StateChange"/>.
    /// </summary>
    Task<IReadOnlyList<SyncCommand>> OpenCommandsAsync(string entityName, CancellationToken cancellationToken);

    Task<SyncCommand?> GetCommandAsync(long id, CancellationToken cancellationToken);

    /// <summary>Writes (or replaces) this replica's <see cref="WorkerReport"/>, and drops reports no replica has renewed for a day.</summary>
    Task ReportWorkerAsync(WorkerReport report, CancellationToken cancellationToken);

    /// <summary>Every replica's last report, stale ones included (see <see cref="WorkerReport.IsFresh"/>).</summary>
    Task<IReadOnlyList<WorkerReport>> LoadWorkerReportsAsync(CancellationToken cancellationToken);
}
