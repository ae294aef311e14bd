using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReportingSync.Hints;

/// <summary>
/// <c>POST /hooks/dataverse</c>: Dataverse's webhook call. The key must match (query <c>code</c>, Dataverse's WebhookKey
/// authentication, or the configured header for HttpHeader authentication), compared in constant time; otherwise 401
/// and nothing happens. The table comes from <c>x-ms-dynamics-entity-name</c>, else the body's
/// <c>PrimaryEntityName</c>. The answer is 202 as soon as the hint is queued: Dataverse waits for it.
/// </summary>
internal sealed class WebhookEndpoint(WebhookHintOptions options, HintSink sink, ILogger<WebhookEndpoint> log)
{
    public const string Path = "/hooks/dataverse";

    private readonly byte[] _keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(options.Key ?? ""));

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        if (!Authorized(http.Request))
        {
            HintLog.WebhookRejected(log, http.Connection.RemoteIpAddress?.ToString());
            return Results.Unauthorized();
        }

        var entity = DataverseMessage.Clean(http.Request.Headers[DataverseMessage.EntityHeader].ToString());
        if (entity is null)
        {
            var body = await ReadBodyAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
            entity = DataverseMessage.EntityFromBody(body);
        }

        if (entity is null)
        {
            return Results.BadRequest("No table: neither an x-ms-dynamics-entity-name header nor a PrimaryEntityName in the body.");
        }

        // An unconfigured table is accepted too (202): the caller learns nothing about the configuration.
        sink.Offer(entity, "webhook");
        return Results.Accepted();
    }

    internal bool Authorized(HttpRequest request)
    {
        if (options.HeaderName is { } header && request.Headers.TryGetValue(header, out var fromHeader) && Matches(fromHeader.ToString()))
        {
            return true;
        }

        return request.Query.TryGetValue("code", out var code) && Matches(code.ToString());
    }

    /// <summary>Hashes first, so the comparison takes the same time whatever the length or content of the candidate.</summary>
    private bool Matches(string candidate) =>
        candidate.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), _keyHash);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < DataverseMessage.MaxBodyBytes && (read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
