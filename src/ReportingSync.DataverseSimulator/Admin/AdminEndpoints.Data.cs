using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ReportingSync.DataverseSimulator.Hosting;

namespace ReportingSync.DataverseSimulator.Admin;

internal static partial class AdminEndpoints
{
    private static void MapRows(RouteGroupBuilder admin, SimulatorHost host)
    {
        var store = host.Store;
        admin.MapPost("/rows/{entity}", (string entity, Dictionary<string, JsonElement> values) => Guard(() =>
        {
            var id = store.Create(entity, AsValues(values));
            return Results.Json(new { id, version = store.Get(entity, id)!.Version }, statusCode: StatusCodes.Status201Created);
        }));
        admin.MapPatch("/rows/{entity}/{id:guid}", (string entity, Guid id, Dictionary<string, JsonElement> values) =>
            Guard(() => Results.Json(new { id, version = store.Update(entity, id, AsValues(values)) })));
        admin.MapDelete("/rows/{entity}/{id:guid}", (string entity, Guid id) =>
            Guard(() => Results.Json(new { id, version = store.Delete(entity, id) })));
        admin.MapPost("/rows/{entity}/{id:guid}/restore", (string entity, Guid id) =>
            Guard(() => Results.Json(new { id, version = store.Restore(entity, id) })));
        admin.MapGet("/rows/{entity}/{id:guid}", (string entity, Guid id) => Guard(() =>
            store.Get(entity, id) is { } row ? Results.Json(row) : Results.Json(new { error = $"{entity} {id} does not exist" }, statusCode: 404)));
    }

    private static void MapChanges(RouteGroupBuilder admin, SimulatorHost host)
    {
        var generator = host.ChangeGenerator;
        admin.MapGet("/changes", () => Results.Json(new
        {
            generator.IsRunning,
            generator.IsPaused,
            generator.ChangesPerSecond,
            generator.TargetEntities,
            generator.ChangesMade,
            generator.Creates,
            generator.Updates,
            generator.Deletes,
        }));
        admin.MapPost("/changes/start", async (ChangeGeneratorRequest request) =>
        {
            // Starting again replaces the running rate and tables.
            await generator.StopAsync();
            return Guard(() =>
            {
                generator.Start(request.ChangesPerSecond, request.Entities);
                Log.ChangeGeneratorStarted(host.Service.Logger, request.ChangesPerSecond, string.Join(",", generator.TargetEntities));
                return Results.Ok();
            });
        });
        admin.MapPost("/changes/stop", async () =>
        {
            await generator.StopAsync();
            return Results.Ok();
        });
        admin.MapPost("/changes/pause", () =>
        {
            generator.Pause();
            return Results.Ok();
        });
        admin.MapPost("/changes/resume", () =>
        {
            generator.Resume();
            return Results.Ok();
        });
        admin.MapPost("/changes/step", (ChangeStepRequest request) =>
            Guard(() => Results.Json(generator.Step(request.Count, request.Entities))));
        admin.MapGet("/changes/log", (long? sinceVersion) => Results.Json(host.Store.ChangesSince(sinceVersion ?? 0)));
    }

    private static IReadOnlyDictionary<string, object?> AsValues(Dictionary<string, JsonElement> values) =>
        values.ToDictionary(v => v.Key, v => (object?)v.Value, StringComparer.Ordinal);
}
