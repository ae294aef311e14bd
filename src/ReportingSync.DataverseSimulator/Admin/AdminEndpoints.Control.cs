using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Requests;

namespace ReportingSync.DataverseSimulator.Admin;

internal static partial class AdminEndpoints
{
    private static void MapSchema(RouteGroupBuilder admin, SimulatorHost host)
    {
        var store = host.Store;
        var logger = host.Service.Logger;
        admin.MapPost("/schema/{entity}/attributes", (string entity, AddAttributeRequest request) => Guard(() =>
        {
            var attribute = store.AddAttribute(entity, request.Attribute, request.FillExistingRows);
            Log.SchemaChanged(logger, "add attribute " + attribute.LogicalName, entity);
            return Results.Json(new { attribute.LogicalName, attribute.MetadataId, store.MetadataVersion }, statusCode: StatusCodes.Status201Created);
        }));
        admin.MapPatch("/schema/{entity}/attributes/{attribute}", (string entity, string attribute, AttributeAlteration change) => Guard(() =>
        {
            store.AlterAttribute(entity, attribute, change);
            Log.SchemaChanged(logger, "alter attribute " + attribute, entity);
            return Results.Json(new { store.MetadataVersion });
        }));
        admin.MapDelete("/schema/{entity}/attributes/{attribute}", (string entity, string attribute) => Guard(() =>
        {
            store.RemoveAttribute(entity, attribute);
            Log.SchemaChanged(logger, "remove attribute " + attribute, entity);
            return Results.Json(new { store.MetadataVersion });
        }));
        admin.MapPost("/schema/{entity}/attributes/{attribute}/options", (string entity, string attribute, OptionRequest option) => Guard(() =>
        {
            store.AddOption(entity, attribute, option.Value, option.Label, option.State);
            return Results.Json(new { store.MetadataVersion });
        }));
        admin.MapPut("/schema/{entity}/attributes/{attribute}/options/{value:int}", (string entity, string attribute, int value, OptionRequest option) => Guard(() =>
        {
            store.RenameOptionLabel(entity, attribute, value, option.Label);
            return Results.Json(new { store.MetadataVersion });
        }));
        admin.MapPut("/schema/{entity}/changetracking", (string entity, ChangeTrackingRequest request) => Guard(() =>
        {
            store.SetChangeTracking(entity, request.Enabled);
            return Results.Json(new { store.MetadataVersion });
        }));
        admin.MapDelete("/schema/{entity}", (string entity) => Guard(() =>
        {
            store.RemoveEntity(entity);
            Log.SchemaChanged(logger, "remove table", entity);
            return Results.Json(new { store.MetadataVersion });
        }));
    }

    private static void MapLimits(RouteGroupBuilder admin, SimulatorHost host)
    {
        admin.MapGet("/limits", () => Results.Json(LimitsView(host)));
        admin.MapPut("/limits", (LimitsRequest request) =>
        {
            host.Limits.Configure(o =>
            {
                o.RequestsPerWindow = request.RequestsPerWindow;
                o.MaxConcurrency = request.MaxConcurrency;
                o.Window = request.WindowSeconds is { } w ? TimeSpan.FromSeconds(w) : o.Window;
                o.ConcurrencyRetryAfter = request.ConcurrencyRetryAfterSeconds is { } r ? TimeSpan.FromSeconds(r) : o.ConcurrencyRetryAfter;
                o.PressurePenalty = request.PressurePenaltySeconds is { } p ? TimeSpan.FromSeconds(p) : o.PressurePenalty;
            });
            return Results.Json(LimitsView(host));
        });
        admin.MapPut("/retention", (RetentionRequest request) =>
        {
            if (request.Days is { } days)
            {
                host.Store.ChangeRetention = TimeSpan.FromDays(days);
            }

            if (request.FloorVersion is { } floor)
            {
                host.Store.RetentionFloor = floor;
            }

            if (request.FloorAtCurrentVersion)
            {
                host.Store.ExpireAllTokens();
            }

            return Results.Json(new { ChangeRetentionDays = host.Store.ChangeRetention.TotalDays, host.Store.RetentionFloor });
        });
        admin.MapPut("/metadata/stamps", (MetadataStampsRequest request) => Guard(() =>
        {
            if (request.RetentionDays is { } days)
            {
                host.Store.MetadataStampRetention = days > 0
                    ? TimeSpan.FromDays(days)
                    : throw new ArgumentException($"retentionDays must be positive; it is {days}.");
            }

            if (request.ExpireAll)
            {
                host.Store.ExpireMetadataStamps();
            }

            return Results.Json(new
            {
                MetadataStampRetentionDays = host.Store.MetadataStampRetention.TotalDays,
                host.Store.MetadataStampFloor,
                host.Store.MetadataVersion,
            });
        }));
    }

    private static object LimitsView(SimulatorHost host)
    {
        var limits = host.Limits.Current;
        return new
        {
            limits.RequestsPerWindow,
            WindowSeconds = limits.Window.TotalSeconds,
            limits.MaxConcurrency,
            ConcurrencyRetryAfterSeconds = limits.ConcurrencyRetryAfter.TotalSeconds,
            PressurePenaltySeconds = limits.PressurePenalty.TotalSeconds,
            host.Limits.Rejections,
        };
    }

    private static void MapRequests(RouteGroupBuilder admin, SimulatorHost host)
    {
        admin.MapGet("/requests", (string? entitySet, RequestKind? kind) => Results.Json(host.RequestLog.Query(entitySet, kind)));
        admin.MapGet("/requests/busiest", (double? windowSeconds) => Guard(() =>
            Results.Json(host.RequestLog.BusiestWindow(TimeSpan.FromSeconds(windowSeconds is > 0 ? windowSeconds.Value : 300)))));
        admin.MapDelete("/requests", () =>
        {
            host.RequestLog.Reset();
            return Results.Ok();
        });
    }

    private static void MapFaults(RouteGroupBuilder admin, SimulatorHost host)
    {
        admin.MapGet("/faults", () => Results.Json(new
        {
            Rules = host.Faults.Rules,
            Injected = host.Faults.Injected,
            CountsByKind = host.Faults.CountsByKind.ToDictionary(k => k.Key.ToString(), k => k.Value),
        }));
        admin.MapPost("/faults", (FaultRequest request) => Guard(() =>
            Results.Json(host.Faults.Add(request.ToRule()), statusCode: StatusCodes.Status201Created)));
        admin.MapDelete("/faults", () =>
        {
            host.Faults.Clear();
            return Results.Ok();
        });
    }
}
