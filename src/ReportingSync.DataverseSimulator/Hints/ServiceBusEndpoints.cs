using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using Microsoft.AspNetCore.Http;

namespace ReportingSync.DataverseSimulator.Hints;

/// <summary>
/// The Service Bus runtime REST API subset, for the stand-in queues under <c>{BaseUrl}/servicebus/</c>:
/// <c>POST {queue}/messages</c> (send, 201), <c>POST {queue}/messages/head?timeout=N</c> (peek-lock: 201 with the body,
/// <c>BrokerProperties</c>, <c>Location</c> and custom properties as headers; 204 when nothing came within N seconds),
/// <c>DELETE {queue}/messages/{messageId|sequenceNumber}/{lockToken}</c> (complete, 200) and <c>PUT</c> on the same
/// (unlock, 200); 404 for an unknown queue, message or lost lock; 401 without a valid SAS token when a key is set.
/// </summary>
internal sealed class ServiceBusEndpoints(
    IReadOnlyDictionary<string, ServiceBusQueue> queues, SimulatorHintOptions options, TimeProvider time, Func<string> baseUrl, CancellationToken stopping)
{
    public const string Prefix = "/servicebus";

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    public async Task HandleAsync(HttpContext http)
    {
        var segments = (http.Request.Path.Value ?? "").Trim('/').Split('/');
        if (segments.Length < 2 || !queues.TryGetValue(segments[0], out var queue) || segments[1] != "messages")
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!Authorized(http.Request, queue))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var method = http.Request.Method;
        switch (segments.Length)
        {
            case 2 when HttpMethods.IsPost(method):
                await SendAsync(http, queue);
                break;
            case 3 when segments[2] == "head" && HttpMethods.IsPost(method):
                await ReceiveAsync(http, queue);
                break;
            case 4 when (HttpMethods.IsDelete(method) || HttpMethods.IsPut(method)) && Guid.TryParse(segments[3], out var lockToken):
                var id = Uri.UnescapeDataString(segments[2]);
                var settled = HttpMethods.IsDelete(method) ? queue.Complete(id, lockToken) : queue.Unlock(id, lockToken);
                http.Response.StatusCode = settled ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
                break;
            default:
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                break;
        }
    }

    private static async Task SendAsync(HttpContext http, ServiceBusQueue queue)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        string? messageId = null;
        if (http.Request.Headers["BrokerProperties"].ToString() is { Length: > 0 } broker)
        {
            using var document = JsonDocument.Parse(broker);
            if (document.RootElement.TryGetProperty("MessageId", out var id))
            {
                messageId = id.GetString();
            }
        }

        queue.Enqueue(body.ToArray(), new Dictionary<string, string>(), messageId);
        http.Response.StatusCode = StatusCodes.Status201Created;
    }

    private async Task ReceiveAsync(HttpContext http, ServiceBusQueue queue)
    {
        var timeout = TimeSpan.FromSeconds(60);
        if (int.TryParse(http.Request.Query["timeout"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            timeout = TimeSpan.FromSeconds(seconds) < MaxTimeout ? TimeSpan.FromSeconds(seconds) : MaxTimeout;
        }

        QueuedMessage? message;
        try
        {
            // A long poll must not hold up the simulator's shutdown.
            using var aborted = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
            message = await queue.ReceiveAsync(timeout, aborted.Token);
        }
        catch (OperationCanceledException)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (message is null)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var headers = http.Response.Headers;
        headers["BrokerProperties"] = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["DeliveryCount"] = message.DeliveryCount,
            ["EnqueuedSequenceNumber"] = message.SequenceNumber,
            ["EnqueuedTimeUtc"] = message.EnqueuedAt.ToString("R", CultureInfo.InvariantCulture),
            ["LockToken"] = message.LockToken!.Value.ToString(),
            ["LockedUntilUtc"] = message.LockedUntil.ToString("R", CultureInfo.InvariantCulture),
            ["MessageId"] = message.MessageId,
            ["SequenceNumber"] = message.SequenceNumber,
            ["State"] = "Active",
            ["TimeToLive"] = 922337203685.47754,
        });
        headers.Location = $"{baseUrl()}{Prefix}/{queue.Name}/messages/{message.SequenceNumber}/{message.LockToken}";
        foreach (var (name, value) in message.Properties)
        {
            // A property name such as http://schemas.microsoft.com/... is not a valid header name; it travels URL-encoded.
            headers[Uri.EscapeDataString(name)] = value;
        }

        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(message.Body, http.RequestAborted);
    }

    /// <summary>Checks a SAS token the way Service Bus does: known key name, not expired, signature over sr and se, sr covering the URL.</summary>
    private bool Authorized(HttpRequest request, ServiceBusQueue queue)
    {
        if (options.ServiceBusSasKey is null)
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        const string scheme = "SharedAccessSignature ";
        if (!header.StartsWith(scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var fields = header[scheme.Length..].Split('&')
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("sr", out var sr) || !fields.TryGetValue("sig", out var sig) || !fields.TryGetValue("se", out var se)
            || !fields.TryGetValue("skn", out var skn) || skn != options.ServiceBusSasKeyName
            || !long.TryParse(se, NumberStyles.Integer, CultureInfo.InvariantCulture, out var expiry)
            || expiry < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.ServiceBusSasKey), Encoding.UTF8.GetBytes(sr + "\n" + se));
        byte[] actual;
        try
        {
            actual = Convert.FromBase64String(HttpUtility.UrlDecode(sig));
        }
        catch (FormatException)
        {
            return false;
        }

        var resource = HttpUtility.UrlDecode(sr).TrimEnd('/');
        var entity = $"{baseUrl()}{Prefix}/{queue.Name}";
        return CryptographicOperations.FixedTimeEquals(expected, actual)
            && (entity.StartsWith(resource + "/", StringComparison.OrdinalIgnoreCase) || entity.Equals(resource, StringComparison.OrdinalIgnoreCase));
    }
}
