using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Hosting;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>The unbound functions clients call: <c>RetrieveTotalRecordCount(EntityNames=@p1)</c> and <c>WhoAmI</c>.</summary>
internal sealed class FunctionEndpoint(ServiceContext service)
{
    public static bool Handles(string name) => name is "RetrieveTotalRecordCount" or "WhoAmI";

    public async Task HandleAsync(HttpContext http, ApiSegment function, QueryOptions query, CancellationToken cancellationToken)
    {
        if (function.Name == "WhoAmI")
        {
            await WhoAmIAsync(http, cancellationToken);
            return;
        }

        var names = EntityNames(function, query);
        var counts = names.Select(n => service.Store.FindEntity(n) is null
            ? throw ErrorCodes.EntityNotInMetadata(n)
            : (Key: n, Value: (long)service.Store.Count(n))).ToList();

        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext("Microsoft.Dynamics.CRM.RetrieveTotalRecordCountResponse"));
        DataCollectionJson.Write(writer, "EntityRecordCountCollection", counts, static (w, count) => w.WriteNumberValue(count));
        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
    }

    private static IReadOnlyList<string> EntityNames(ApiSegment function, QueryOptions query)
    {
        var argument = function.KeyValue("EntityNames")
            ?? throw ErrorCodes.BadRequest("RetrieveTotalRecordCount requires the EntityNames parameter.");
        var json = argument.StartsWith('@') ? query.Raw[argument] : argument;
        try
        {
            return JsonSerializer.Deserialize<string[]>(json ?? string.Empty) ?? [];
        }
        catch (JsonException)
        {
            throw ErrorCodes.BadRequest($"EntityNames must be a JSON array of table logical names; got '{json}'.");
        }
    }

    private async Task WhoAmIAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var generator = service.Store.Generator;
        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext("Microsoft.Dynamics.CRM.WhoAmIResponse"));
        writer.WriteString("BusinessUnitId", generator.PseudoRowId("businessunit", 0));
        writer.WriteString("UserId", generator.PseudoRowId("simulator-user", 0));
        writer.WriteString("OrganizationId", service.OrganizationId);
        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
    }
}
