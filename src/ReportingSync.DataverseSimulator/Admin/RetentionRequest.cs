namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>
/// Body of <c>PUT /admin/retention</c>: change retention in days, and/or a retention floor (a version, or
/// <c>floorAtCurrentVersion</c> to expire every token issued so far (later tokens stay valid)).
/// </summary>
internal sealed record RetentionRequest(double? Days, long? FloorVersion, bool FloorAtCurrentVersion);
