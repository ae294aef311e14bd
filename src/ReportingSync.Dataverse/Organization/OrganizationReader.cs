using System.Text.Json;

namespace ReportingSync.Dataverse;

/// <summary>Reads which organisation the configured URL reaches: <c>GET WhoAmI</c>, one small request.</summary>
internal sealed class OrganizationReader(DataverseTransport transport)
{
    /// <summary>What requests for the organisation itself are called in logs, metrics and messages.</summary>
    public const string Subject = "WhoAmI";

    public async Task<Guid> ReadIdAsync(CancellationToken cancellationToken)
    {
        var request = new DataverseRequest(new Uri(transport.ApiBase + "WhoAmI"), Subject, RequestPurpose.Organization);
        var sent = await transport.SendAsync(
            request,
            body => JsonText.Deserialize(body, MetadataJsonContext.Default.WhoAmIDto) is { OrganizationId: var id } && id != Guid.Empty
                ? id
                : throw new JsonException("The WhoAmI answer has no OrganizationId."),
            cancellationToken).ConfigureAwait(false);
        return sent.Value;
    }
}
