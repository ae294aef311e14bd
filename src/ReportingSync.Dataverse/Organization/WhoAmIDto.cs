namespace ReportingSync.Dataverse;

/// <summary>The answer of the <c>WhoAmI</c> function (Microsoft.Dynamics.CRM.WhoAmIResponse).</summary>
internal sealed record WhoAmIDto(Guid BusinessUnitId, Guid UserId, Guid OrganizationId);
