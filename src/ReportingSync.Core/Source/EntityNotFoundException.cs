namespace ReportingSync.Source;

public sealed class EntityNotFoundException(string entity)
    : SourceException($"Dataverse has no table with logical name '{entity}'.")
{
    public string Entity { get; } = entity;
    public override bool IsTransient => false;
}
