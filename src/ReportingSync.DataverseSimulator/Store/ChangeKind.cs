namespace ReportingSync.DataverseSimulator.Store;

internal enum ChangeKind
{
    Create,
    Update,
    Delete,

    /// <summary>A deleted row brought back from the recycle bin with its id (Dataverse's Restore message).</summary>
    Restore,
}
