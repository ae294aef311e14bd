namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>Body of <c>POST /admin/changes/start</c>.</summary>
internal sealed record ChangeGeneratorRequest(double ChangesPerSecond, IReadOnlyCollection<string>? Entities);
