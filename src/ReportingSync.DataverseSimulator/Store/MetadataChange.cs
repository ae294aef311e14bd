namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// One schema change, as <c>RetrieveMetadataChanges</c> reports it after a stamp: a table (<paramref name="AttributeId"/>
/// null) or one of its attributes changed, or was deleted. Label changes are changes of the attributes using the labels.
/// </summary>
internal sealed record MetadataChange(long Version, string Entity, Guid EntityId, Guid? AttributeId, bool Deleted);
