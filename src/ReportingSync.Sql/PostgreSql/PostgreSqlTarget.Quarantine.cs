using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>Reading <c>reportingsync.Quarantine</c> (rows are written by the page commit).</summary>
internal sealed partial class PostgreSqlTarget
{
    public Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(string entityName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entityName);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await _state.LoadQuarantineAsync(connection, entityName, cancellationToken);
    });
}
