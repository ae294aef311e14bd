using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// A row whose value does not fit its column (text where a number belongs, a malformed GUID, ...). Not transient:
/// reading the page again gives the same row. Names the entity, the row (when its id was readable), the column and a
/// short excerpt of the value, so the engine can quarantine exactly that row.
/// </summary>
public sealed class RowDecodeException(string entity, Guid? rowId, string column, string problem)
    : SourceException($"Entity '{entity}', row {(rowId is { } id ? id.ToString() : "(id unknown)")}, column '{column}': {problem}")
{
    public string Entity { get; } = entity;

    /// <summary>The row's primary id, when it was present and readable.</summary>
    public Guid? RowId { get; } = rowId;

    public string Column { get; } = column;

    public override bool IsTransient => false;
}
