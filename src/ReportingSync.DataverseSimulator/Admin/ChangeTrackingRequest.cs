namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>Body of <c>PUT /admin/schema/{entity}/changetracking</c>.</summary>
internal sealed record ChangeTrackingRequest(bool Enabled);
