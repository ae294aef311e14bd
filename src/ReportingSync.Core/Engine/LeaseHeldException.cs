namespace ReportingSync.Engine;

/// <summary>Another replica holds an entity's lease, so this process may not work on it now.</summary>
public sealed class LeaseHeldException(string entity, string? owner, DateTime? expiresUtc)
    : Exception($"'{entity}' is being synchronised by another replica ({owner ?? "unknown"}, lease until {expiresUtc:u}); nothing was done.")
{
    public string Entity { get; } = entity;
}
