using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ReportingSync.DataverseSimulator.Hosting;

namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>
/// The <c>/admin</c> HTTP API: the same controls tests use in C#, for demos and other processes.
/// Documented in the project README. Failures answer <c>{"error":"..."}</c> with 400 or 404.
/// </summary>
internal static partial class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SimulatorHost host)
    {
        var admin = app.MapGroup("/admin");
        admin.MapGet("/status", () => Status(host));
        MapRows(admin, host);
        MapChanges(admin, host);
        MapSchema(admin, host);
        MapLimits(admin, host);
        MapRequests(admin, host);
        MapFaults(admin, host);
    }

    private static object Status(SimulatorHost host) => new
    {
        host.BaseUrl,
        WebApiUrl = host.WebApiUrl.ToString(),
        host.Store.CurrentVersion,
        host.Store.MetadataVersion,
        host.Store.MetadataStampFloor,
        host.Store.RetentionFloor,
        ChangeRetentionDays = host.Store.ChangeRetention.TotalDays,
        Tables = host.Store.Entities.Select(e => new
        {
            e.LogicalName,
            e.EntitySetName,
            Rows = host.Store.Count(e.LogicalName),
            e.ChangeTrackingEnabled,
        }),
    };

    /// <summary>Runs an admin action, mapping the store's exceptions to 404 / 400.</summary>
    private static IResult Guard(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (KeyNotFoundException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status404NotFound);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or InvalidCastException or OverflowException)
        {
            return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
