using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ReportingSync.Hints;

/// <summary>
/// The three Service Bus runtime REST calls hints need: peek-lock receive (<c>POST .../messages/head?timeout=N</c>: 201
/// with the message and a <c>BrokerProperties</c> header, 204 when nothing arrived in time), complete (<c>DELETE</c> the
/// lock URI) and unlock (<c>PUT</c> the lock URI). The lock URI is the <c>Location</c> header when the service sends one.
/// </summary>
internal sealed class ServiceBusRestClient(HttpClient http, ServiceBusAddress address, ServiceBusCredential credential)
{
    /// <summary>Null when no message arrived within <paramref name="timeout"/>.</summary>
    public async Task<ServiceBusMessage?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, address.Head(timeout)) { Content = new ByteArrayContent([]) };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.OK)
        {
            throw new ServiceBusHintException(response.StatusCode);
        }

        var broker = Header(response.Headers, "BrokerProperties")
            ?? throw new ServiceBusHintException(response.StatusCode, "the response has no BrokerProperties header");
        var (messageId, lockToken, sequence) = ParseBrokerProperties(broker);
        var entity = EntityFromProperties(response.Headers);
        if (entity is null)
        {
            var body = await ReadBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
            entity = DataverseMessage.EntityFromBody(body);
        }

        return new ServiceBusMessage(messageId, lockToken, sequence, response.Headers.Location, entity);
    }

    public Task<HttpStatusCode?> CompleteAsync(ServiceBusMessage message, CancellationToken cancellationToken) =>
        SettleAsync(HttpMethod.Delete, message, cancellationToken);

    public Task<HttpStatusCode?> UnlockAsync(ServiceBusMessage message, CancellationToken cancellationToken) =>
        SettleAsync(HttpMethod.Put, message, cancellationToken);

    /// <summary>Returns null on success, else the status (a lost lock is not an error worth more than a warning).</summary>
    private async Task<HttpStatusCode?> SettleAsync(HttpMethod method, ServiceBusMessage message, CancellationToken cancellationToken)
    {
        var uri = message.LockLocation ?? address.Lock(message.MessageId, message.LockToken);
        using var request = new HttpRequestMessage(method, uri) { Content = new ByteArrayContent([]) };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? null : response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation("Authorization", await credential.GetHeaderAsync(cancellationToken).ConfigureAwait(false));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            credential.Invalidate();
        }

        return response;
    }

    internal static (string MessageId, string LockToken, long SequenceNumber) ParseBrokerProperties(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var lockToken = root.TryGetProperty("LockToken", out var l) ? l.GetString() : null;
            var messageId = root.TryGetProperty("MessageId", out var m) ? m.GetString() : null;
            var sequence = root.TryGetProperty("SequenceNumber", out var s) && s.TryGetInt64(out var n) ? n : 0;
            if (string.IsNullOrEmpty(lockToken) || string.IsNullOrEmpty(messageId))
            {
                throw new ServiceBusHintException(null, "BrokerProperties has no MessageId or LockToken");
            }

            return (messageId, lockToken, sequence);
        }
        catch (JsonException)
        {
            throw new ServiceBusHintException(null, "BrokerProperties is not JSON");
        }
    }

    /// <summary>
    /// Custom message properties arrive as response headers. A property name holding <c>:</c> and <c>/</c> is not a valid
    /// header name, so it may come URL-encoded; both spellings (and any header ending in <c>EntityLogicalName</c>) count.
    /// </summary>
    internal static string? EntityFromProperties(HttpResponseHeaders headers)
    {
        foreach (var header in headers.NonValidated)
        {
            var name = header.Key;
            if (name.Equals(DataverseMessage.EntityProperty, StringComparison.OrdinalIgnoreCase)
                || Uri.UnescapeDataString(name).EndsWith("/EntityLogicalName", StringComparison.OrdinalIgnoreCase))
            {
                return DataverseMessage.Clean(header.Value.ToString());
            }
        }

        return null;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    private static async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < DataverseMessage.MaxBodyBytes && (read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
