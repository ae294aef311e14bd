namespace ReportingSync.DataverseSimulator.Store;

/// <summary>A changed row (with the state it had when the delta was computed) or a delete.</summary>
internal readonly record struct DeltaItem(UInt128 Key, bool IsDelete, RowRef Row, long Version)
{
    public Guid Id => SqlGuidOrder.FromKey(Key);
}
