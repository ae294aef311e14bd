namespace ReportingSync.Dataverse;

/// <summary>How the client authenticates to Dataverse (Microsoft Entra ID tokens through Azure.Identity).</summary>
public enum DataverseAuthMode
{
    /// <summary>An application registration's client secret (TenantId, ClientId, ClientSecret).</summary>
    ClientSecret,

    /// <summary>The host's managed identity; set ClientId to use a user-assigned identity.</summary>
    ManagedIdentity,

    /// <summary>Kubernetes workload identity federation (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE).</summary>
    WorkloadIdentity,

    /// <summary>No Authorization header. Allowed only for a loopback Url (the simulator, tests).</summary>
    None,
}
