using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>Commands (re-seed requests from the CLI or the status page) in <c>reportingsync.Command</c>.</summary>
internal sealed partial class SqlServerTarget
{
    public Task<long> EnqueueCommandAsync(SyncCommand command, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(command);
        Identifier.Validate(command.EntityName, "entity");
        await using var connection = await OpenAsync(cancellationToken);
        return await _state.EnqueueCommandAsync(connection, command, _time.GetUtcNow().UtcDateTime, cancellationToken);
    });

    /// <summary>One UPDATE ... OUTPUT with UPDLOCK, READPAST: concurrent claimers never get the same command.</summary>
    public Task<IReadOnlyList<SyncCommand>> ClaimCommandsAsync(IReadOnlyCollection<string> entityNames, string owner, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entityNames);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (entityNames.Count == 0)
        {
            return (IReadOnlyList<SyncCommand>)[];
        }

        await using var connection = await OpenAsync(cancellationToken);
        var claimed = new List<SyncCommand>();
        foreach (var chunk in entityNames.Chunk(MaxParameters))
        {
            claimed.AddRange(await _state.ClaimCommandsAsync(connection, chunk, owner, _time.GetUtcNow().UtcDateTime, cancellationToken));
        }

        foreach (var command in claimed)
        {
            _logger.CommandClaimed(command.Id, command.Kind, command.EntityName, owner);
        }

        return claimed;
    });

    public Task CompleteCommandAsync(long id, bool succeeded, string? detail, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (!await _state.CompleteCommandAsync(connection, id, succeeded, detail, _time.GetUtcNow().UtcDateTime, cancellationToken))
        {
            _logger.CommandNotFound(id);
        }

        return 0;
    });

    public Task<SyncCommand?> GetCommandAsync(long id, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await _state.GetCommandAsync(connection, id, cancellationToken);
    });
}
