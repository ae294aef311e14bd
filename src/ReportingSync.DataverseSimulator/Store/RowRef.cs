namespace ReportingSync.DataverseSimulator.Store;

/// <summary>A row as found while reading: its key, its generated-row index (or -1), and its override state if any.</summary>
internal readonly record struct RowRef(UInt128 Key, int BaseIndex, RowState? State)
{
    public Guid Id => State?.Id ?? SqlGuidOrder.FromKey(Key);

    public int GenIndex => State?.GenIndex ?? BaseIndex;
}
