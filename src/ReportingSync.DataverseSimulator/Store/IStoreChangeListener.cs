namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// Observes committed row changes, after the store lock is released. The seam for push hints (Service Bus /
/// webhook emulation) to be added later; nothing in the simulator depends on a listener being present.
/// </summary>
internal interface IStoreChangeListener
{
    void OnChanged(StoreChange change);
}
