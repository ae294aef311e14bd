namespace ReportingSync.Model;

/// <summary>Metadata that cannot be replicated as described (missing versionnumber, colliding column names, ...).</summary>
public sealed class InvalidSchemaException(string entity, string message)
    : Exception($"Entity '{entity}': {message}")
{
    public string Entity { get; } = entity;
}
