namespace ReportingSync.DataverseSimulator.Store;

internal enum ChangeKind
{
    Create,
    Update,
    Delete,
}
