namespace ReportingSync.Source;

public sealed class ChangeTrackingDisabledException(string entity)
    : SourceException($"Table '{entity}' does not have change tracking enabled (EntityDefinitions ChangeTrackingEnabled = false); enable it in Dataverse or remove the table from ReportingSync:Entities.")
{
    public string Entity { get; } = entity;
    public override bool IsTransient => false;
}
