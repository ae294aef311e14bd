namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>Body of <c>POST /admin/changes/step</c>.</summary>
internal sealed record ChangeStepRequest(int Count, IReadOnlyCollection<string>? Entities);
