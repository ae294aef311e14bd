using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>Commands (re-seed requests from the CLI or the status page) in <c>reportingsync_Command</c>.</summary>
internal sealed partial class SqliteTarget
{
    public Task<long> EnqueueCommandAsync(SyncCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        Identifier.Validate(command.EntityName, "entity");
        return WriteAsync(connection => _state.EnqueueCommand(connection, command, _time.GetUtcNow().UtcDateTime), cancellationToken);
    }

    /// <summary>One UPDATE ... RETURNING on the single writer connection: concurrent claimers never get the same command.</summary>
    public Task<IReadOnlyList<SyncCommand>> ClaimCommandsAsync(IReadOnlyCollection<string> entityNames, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entityNames);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (entityNames.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<SyncCommand>>([]);
        }

        return WriteAsync(connection =>
        {
            var claimed = _state.ClaimCommands(connection, entityNames, owner, _time.GetUtcNow().UtcDateTime);
            foreach (var command in claimed)
            {
                _logger.CommandClaimed(command.Id, command.Kind, command.EntityName, owner);
            }

            return claimed;
        }, cancellationToken);
    }

    public Task CompleteCommandAsync(long id, bool succeeded, string? detail, CancellationToken cancellationToken) => WriteAsync(connection =>
    {
        if (!_state.CompleteCommand(connection, id, succeeded, detail, _time.GetUtcNow().UtcDateTime))
        {
            _logger.CommandNotFound(id);
        }

        return 0;
    }, cancellationToken);

    public Task<SyncCommand?> GetCommandAsync(long id, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return _state.GetCommand(connection, id);
    });
}
