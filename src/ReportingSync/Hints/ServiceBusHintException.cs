using System.Net;

namespace ReportingSync.Hints;

/// <summary>A Service Bus call answered with something other than a message or "no message"; carries no secret.</summary>
internal sealed class ServiceBusHintException(HttpStatusCode? status, string? detail = null)
    : Exception(detail is null ? $"HTTP {(int?)status} {status}" : $"{detail} (HTTP {(int?)status})")
{
    public HttpStatusCode? Status { get; } = status;
}
