namespace ReportingSync.Dataverse;

/// <summary>Credentials for Dataverse, bound from <c>ReportingSync:Dataverse:Auth</c>.</summary>
public sealed class DataverseAuthOptions
{
    /// <summary>Default <see cref="DataverseAuthMode.ClientSecret"/>.</summary>
    public DataverseAuthMode Mode { get; set; } = DataverseAuthMode.ClientSecret;

    /// <summary>Entra tenant id. Required for ClientSecret; optional for WorkloadIdentity (defaults to AZURE_TENANT_ID).</summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// Application (client) id. Required for ClientSecret; for ManagedIdentity it selects a user-assigned identity;
    /// optional for WorkloadIdentity (defaults to AZURE_CLIENT_ID).
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret (ClientSecret mode only). Never logged, never shown by <see cref="ToString"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Entra authority for sovereign clouds, e.g. <c>https://login.microsoftonline.us/</c>. Default: public cloud.</summary>
    public Uri? AuthorityHost { get; set; }

    /// <summary>Shows everything but the secret, so options can be logged safely.</summary>
    public override string ToString() =>
        $"Mode={Mode}, TenantId={TenantId ?? "(none)"}, ClientId={ClientId ?? "(none)"}, " +
        $"ClientSecret={(string.IsNullOrEmpty(ClientSecret) ? "(none)" : "***")}" +
        (AuthorityHost is null ? "" : $", AuthorityHost={AuthorityHost}");
}
