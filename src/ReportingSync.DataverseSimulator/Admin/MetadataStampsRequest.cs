namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>
/// Body of <c>PUT /admin/metadata/stamps</c>: how long RetrieveMetadataChanges stamps stay usable, in days, and/or
/// <c>expireAll</c> to expire every stamp issued so far (as server maintenance can).
/// </summary>
internal sealed record MetadataStampsRequest(double? RetentionDays, bool ExpireAll);
