using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Target;

namespace ReportingSync.Operations;

/// <summary>
/// The worker's HTTP endpoints: <c>/healthz</c> (the process answers), <c>/readyz</c> (source, target and state),
/// <c>/status</c> (JSON), <c>/</c> (the status page), <c>/metrics</c> (Prometheus text from the same MeterProvider
/// that exports OTLP) and <c>POST /entities/{entity}/reseed</c> (API key).
/// </summary>
internal static class OperationsEndpoints
{
    public const string ApiKeyHeader = "X-Api-Key";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ReportingSync.Operations.StatusPage.html")
            ?? throw new InvalidOperationException("The status page resource is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        // Liveness says only that the process serves HTTP: a database outage must not get the pod restarted.
        app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain"));

        app.MapGet("/readyz", async (ReadinessCheck readiness, CancellationToken ct) =>
        {
            var report = await readiness.CheckAsync(ct).ConfigureAwait(false);
            return Results.Json(report, Json, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });

        app.MapGet("/status", (StatusMonitor monitor) => Results.Json(monitor.Snapshot(), Json));

        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));

        app.MapPost("/entities/{entity}/reseed", ReseedAsync);

        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static async Task<IResult> ReseedAsync(
        string entity,
        HttpContext http,
        IOptions<OperationsOptions> options,
        IOptions<SyncOptions> syncOptions,
        StatusMonitor monitor,
        IReportingTarget target,
        TimeProvider time,
        ILogger<StatusMonitor> log,
        CancellationToken ct)
    {
        var remote = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var key = options.Value.ApiKey;
        if (string.IsNullOrEmpty(key))
        {
            Log.ReseedRefused(log, remote, "no ReportingSync:Http:ApiKey is configured");
            return Problem(StatusCodes.Status403Forbidden, "Re-seeding over HTTP is off: set ReportingSync:Http:ApiKey to turn it on.");
        }

        if (!KeyMatches(http.Request.Headers[ApiKeyHeader].ToString(), key))
        {
            Log.ReseedRefused(log, remote, "wrong or missing API key");
            return Problem(StatusCodes.Status401Unauthorized, $"A valid {ApiKeyHeader} header is required.");
        }

        var known = syncOptions.Value.Entities.Any(e => string.Equals(e.Name, entity, StringComparison.OrdinalIgnoreCase))
            || monitor.Snapshot().Entities.Any(e => string.Equals(e.Entity, entity, StringComparison.OrdinalIgnoreCase) && e.Status != "NotStarted");
        if (!known)
        {
            return Problem(StatusCodes.Status404NotFound, $"No entity '{entity}' is configured or has a state row.");
        }

        var name = syncOptions.Value.Entities.FirstOrDefault(e => string.Equals(e.Name, entity, StringComparison.OrdinalIgnoreCase))?.Name ?? entity;
        var id = await target.EnqueueCommandAsync(
            new SyncCommand
            {
                EntityName = name,
                Kind = "Reseed",
                RequestedUtc = time.GetUtcNow().UtcDateTime,
                RequestedBy = $"status page ({remote})",
            },
            ct).ConfigureAwait(false);
        Log.ReseedRequested(log, name, remote, id);
        return Results.Json(new { id, entity = name, kind = "Reseed", status = "Pending" }, Json, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Compares in constant time, so response timing does not reveal how much of a guess was right.</summary>
    private static bool KeyMatches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
