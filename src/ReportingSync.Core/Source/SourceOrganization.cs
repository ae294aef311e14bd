namespace ReportingSync.Source;

/// <summary>
/// The Dataverse organisation the worker is configured for: its id (WhoAmI's <c>OrganizationId</c>, the same under every
/// URL of the organisation) and the URL it is reached at now (<see cref="IChangeSource.OrganizationUrl"/>).
/// </summary>
public sealed record SourceOrganization(Guid Id, Uri Url);
