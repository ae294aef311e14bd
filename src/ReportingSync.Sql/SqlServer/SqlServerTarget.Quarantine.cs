using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>Reading <c>reportingsync.Quarantine</c> (rows are written by the page commit).</summary>
internal sealed partial class SqlServerTarget
{
    public Task<IReadOnlyList<QuarantinedRow>> LoadQuarantineAsync(string entityName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entityName);
        await using var connection = await OpenAsync(cancellationToken);
        return await _state.LoadQuarantineAsync(connection, entityName, cancellationToken);
    });
}
