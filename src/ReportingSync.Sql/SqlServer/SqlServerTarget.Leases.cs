using ReportingSync.Model;

namespace ReportingSync.Sql.SqlServer;

/// <summary>Leases: which replica works on an entity (owner and expiry in the entity's state row).</summary>
internal sealed partial class SqlServerTarget
{
    public Task<bool> TryAcquireLeaseAsync(string entityName, string owner, DateTime expiresUtc, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        Identifier.Validate(entityName, "entity");
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await OpenAsync(cancellationToken);
        return await _state.TryAcquireLeaseAsync(
            connection, entityName, owner, UtcDateTime.AsUtc(expiresUtc), _time.GetUtcNow().UtcDateTime, cancellationToken);
    });

    public Task ReleaseLeaseAsync(string entityName, string owner, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entityName);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await OpenAsync(cancellationToken);
        await _state.ReleaseLeaseAsync(connection, entityName, owner, cancellationToken);
        return 0;
    });
}
