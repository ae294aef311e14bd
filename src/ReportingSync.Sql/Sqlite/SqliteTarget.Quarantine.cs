using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>Reading <c>reportingsync_Quarantine</c> (rows are written by the page commit).</summary>
internal sealed partial class SqliteTarget
{
    public Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(string entityName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entityName);
        await using var connection = await OpenReaderAsync(cancellationToken);
        return await _state.LoadQuarantineAsync(connection, entityName, cancellationToken);
    });
}
