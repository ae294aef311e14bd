using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>Leases: which replica works on an entity (owner and expiry in the entity's state row).</summary>
internal sealed partial class SqliteTarget
{
    public Task<bool> TryAcquireLeaseAsync(string entityName, string owner, DateTime expiresUtc, CancellationToken cancellationToken)
    {
        Identifier.Validate(entityName, "entity");
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync(
            connection => _state.TryAcquireLease(connection, entityName, owner, UtcDateTime.AsUtc(expiresUtc), _time.GetUtcNow().UtcDateTime),
            cancellationToken);
    }

    public Task ReleaseLeaseAsync(string entityName, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entityName);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync(connection =>
        {
            _state.ReleaseLease(connection, entityName, owner);
            return 0;
        }, cancellationToken);
    }
}
