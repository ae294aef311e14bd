using Azure.Core;
using Azure.Identity;

namespace ReportingSync.Dataverse;

/// <summary>Builds the Azure.Identity credential for the configured <see cref="DataverseAuthMode"/>.</summary>
internal static class DataverseCredentials
{
    public static TokenCredential Create(DataverseOptions options)
    {
        var auth = options.Auth;
        return auth.Mode switch
        {
            DataverseAuthMode.ClientSecret => new ClientSecretCredential(
                auth.TenantId, auth.ClientId, auth.ClientSecret, Configure(new ClientSecretCredentialOptions(), options)),
            DataverseAuthMode.ManagedIdentity => new ManagedIdentityCredential(Configure(
                new ManagedIdentityCredentialOptions(string.IsNullOrWhiteSpace(auth.ClientId)
                    ? ManagedIdentityId.SystemAssigned
                    : ManagedIdentityId.FromUserAssignedClientId(auth.ClientId)),
                options)),
            DataverseAuthMode.WorkloadIdentity => new WorkloadIdentityCredential(WorkloadOptions(options)),
            _ => throw new InvalidOperationException($"Auth mode {auth.Mode} uses no credential."),
        };
    }

    private static WorkloadIdentityCredentialOptions WorkloadOptions(DataverseOptions options)
    {
        // The defaults come from AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_FEDERATED_TOKEN_FILE, which the workload
        // identity webhook injects; configuration only overrides them when set.
        var workload = Configure(new WorkloadIdentityCredentialOptions(), options);
        if (!string.IsNullOrWhiteSpace(options.Auth.TenantId))
        {
            workload.TenantId = options.Auth.TenantId;
        }

        if (!string.IsNullOrWhiteSpace(options.Auth.ClientId))
        {
            workload.ClientId = options.Auth.ClientId;
        }

        return workload;
    }

    /// <summary>
    /// Token requests follow the same patience as Dataverse requests: few retries (Azure.Core retries token calls
    /// itself), bounded by the request timeout, so a CLI with small MaxRetries fails fast on a bad tenant.
    /// </summary>
    private static T Configure<T>(T credential, DataverseOptions options)
        where T : TokenCredentialOptions
    {
        if (options.Auth.AuthorityHost is { } authority)
        {
            credential.AuthorityHost = authority;
        }

        credential.Retry.MaxRetries = Math.Min(options.MaxRetries, 3);
        credential.Retry.Delay = options.RetryBaseDelay > TimeSpan.Zero ? options.RetryBaseDelay : TimeSpan.FromMilliseconds(100);
        credential.Retry.MaxDelay = options.RetryMaxDelay > credential.Retry.Delay ? options.RetryMaxDelay : credential.Retry.Delay;
        credential.Retry.NetworkTimeout = options.RequestTimeout;
        return credential;
    }
}
