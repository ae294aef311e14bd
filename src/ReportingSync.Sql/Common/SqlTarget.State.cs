using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary><see cref="ISyncStateStore"/>: state rows, leases, commands, history and quarantine, through <see cref="StateStore"/>.</summary>
internal sealed partial class SqlTarget
{
    public Task<IReadOnlyList<EntityState>> LoadStatesAsync(CancellationToken cancellationToken) =>
        ReadAsync(session => _state.LoadAsync(session, null, cancellationToken), cancellationToken);

    public async Task<EntityState?> LoadStateAsync(string entityName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entityName);
        var states = await ReadAsync(session => _state.LoadAsync(session, entityName, cancellationToken), cancellationToken).ConfigureAwait(false);
        return states.Count == 0 ? null : states[0];
    }

    public Task<EntityState> CreateStateAsync(EntityState initial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initial);
        Identifier.Validate(initial.EntityName, "entity");
        return WriteAsync(lockDdl: false, session => _state.CreateAsync(session, initial, cancellationToken), cancellationToken);
    }

    public Task<EntityState> ChangeStateAsync(StateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(lockDdl: false, async session =>
        {
            await _state.ApplyAsync(session, change, _time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            return change.Stored;
        }, cancellationToken);
    }

    public Task AppendHistoryAsync(SyncHistoryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync(lockDdl: false, async session =>
        {
            await _state.AppendHistoryAsync(session, entry, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task AppendSchemaChangeAsync(SchemaChangeEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync(lockDdl: false, async session =>
        {
            await _state.AppendSchemaChangeAsync(session, entry, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(string entityName, CancellationToken cancellationToken) =>
        ReadAsync(session => _state.LoadQuarantineAsync(session, entityName, cancellationToken), cancellationToken);

    public Task<bool> TryAcquireLeaseAsync(string entityName, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        Identifier.Validate(entityName, "entity");
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync(
            lockDdl: false,
            session => _state.TryAcquireLeaseAsync(session, entityName, owner, duration, _time.GetUtcNow().UtcDateTime, cancellationToken),
            cancellationToken);
    }

    public Task ReleaseLeaseAsync(string entityName, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entityName);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync(lockDdl: false, async session =>
        {
            await _state.ReleaseLeaseAsync(session, entityName, owner, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task<long> EnqueueCommandAsync(SyncCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        Identifier.Validate(command.EntityName, "entity");
        return WriteAsync(lockDdl: false, session => _state.EnqueueCommandAsync(session, command, _time.GetUtcNow().UtcDateTime, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<SyncCommand>> OpenCommandsAsync(string entityName, CancellationToken cancellationToken) =>
        ReadAsync(session => _state.OpenCommandsAsync(session, entityName, cancellationToken), cancellationToken);

    public Task<SyncCommand?> GetCommandAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(session => _state.GetCommandAsync(session, id, cancellationToken), cancellationToken);

    public Task ReportWorkerAsync(WorkerReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(report.WorkerId);
        return WriteAsync(lockDdl: false, async session =>
        {
            await _state.ReportWorkerAsync(session, report, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<WorkerReport>> LoadWorkerReportsAsync(CancellationToken cancellationToken) =>
        ReadAsync(session => _state.LoadWorkerReportsAsync(session, cancellationToken), cancellationToken);
}
