using System.Globalization;

namespace ReportingSync.Hints;

/// <summary>The REST addresses of one queue or topic subscription (Service Bus runtime REST API).</summary>
internal sealed class ServiceBusAddress
{
    private ServiceBusAddress(Uri entity) => Entity = entity;

    /// <summary><c>https://{ns}/{queue}</c> or <c>https://{ns}/{topic}/subscriptions/{sub}</c>; also the SAS resource URI.</summary>
    public Uri Entity { get; }

    public static ServiceBusAddress Create(string endpoint, string entityPath)
    {
        if (!TryParseNamespace(endpoint, out var ns))
        {
            throw new ArgumentException("Not a Service Bus namespace URL.", nameof(endpoint));
        }

        return new ServiceBusAddress(new Uri(ns, entityPath.Trim('/')));
    }

    /// <summary>Accepts <c>https://ns.servicebus.windows.net</c>, <c>sb://ns.servicebus.windows.net/</c> and plain http for local stand-ins.</summary>
    public static bool TryParseNamespace(string? endpoint, out Uri ns)
    {
        ns = null!;
        if (string.IsNullOrWhiteSpace(endpoint) || !Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.Scheme is not ("https" or "http" or "sb") || !string.IsNullOrEmpty(uri.Query))
        {
            return false;
        }

        var builder = new UriBuilder(uri) { Scheme = uri.Scheme == "sb" ? "https" : uri.Scheme, Port = uri.Scheme == "sb" ? -1 : uri.Port };
        builder.Path = builder.Path.TrimEnd('/') + "/";
        ns = builder.Uri;
        return true;
    }

    /// <summary>Peek-lock receive: <c>POST .../messages/head?timeout=N</c>.</summary>
    public Uri Head(TimeSpan timeout) =>
        new(Entity + "/messages/head?timeout=" + ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));

    /// <summary>A locked message: <c>.../messages/{messageId}/{lockToken}</c> (DELETE completes, PUT unlocks).</summary>
    public Uri Lock(string messageId, string lockToken) =>
        new(Entity + "/messages/" + Uri.EscapeDataString(messageId) + "/" + Uri.EscapeDataString(lockToken));
}
