using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>Commands (re-seed requests from the CLI or the status page) in <c>reportingsync.Command</c>.</summary>
internal sealed partial class PostgreSqlTarget
{
    public Task<long> EnqueueCommandAsync(SyncCommand command, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(command);
        Model.Identifier.Validate(command.EntityName, "entity");
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await _state.EnqueueCommandAsync(connection, command, _time.GetUtcNow().UtcDateTime, cancellationToken);
    });

    /// <summary>One UPDATE over a FOR UPDATE SKIP LOCKED subquery: concurrent claimers never get the same command.</summary>
    public Task<IReadOnlyList<SyncCommand>> ClaimCommandsAsync(IReadOnlyCollection<string> entityNames, string owner, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entityNames);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (entityNames.Count == 0)
        {
            return (IReadOnlyList<SyncCommand>)[];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var claimed = await _state.ClaimCommandsAsync(connection, entityNames, owner, _time.GetUtcNow().UtcDateTime, cancellationToken);
        foreach (var command in claimed)
        {
            _logger.CommandClaimed(command.Id, command.Kind, command.EntityName, owner);
        }

        return claimed;
    });

    public Task CompleteCommandAsync(long id, bool succeeded, string? detail, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        if (!await _state.CompleteCommandAsync(connection, id, succeeded, detail, _time.GetUtcNow().UtcDateTime, cancellationToken))
        {
            _logger.CommandNotFound(id);
        }

        return 0;
    });

    public Task<SyncCommand?> GetCommandAsync(long id, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await _state.GetCommandAsync(connection, id, cancellationToken);
    });
}
