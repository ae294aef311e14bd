namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// A current row: id, version and every data column that has a value (nulls omitted), keyed by logical name.
/// </summary>
internal sealed record StoreRow(Guid Id, long Version, IReadOnlyDictionary<string, object?> Values)
{
    public object? this[string attribute] => Values.GetValueOrDefault(attribute);
}
