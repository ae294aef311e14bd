namespace ReportingSync.Dataverse;

/// <summary>One logical GET (retries resend it). <paramref name="Entity"/> names the table for errors and metrics.</summary>
internal readonly record struct DataverseRequest(Uri Uri, string Entity, RequestPurpose Purpose, string? Prefer = null);
