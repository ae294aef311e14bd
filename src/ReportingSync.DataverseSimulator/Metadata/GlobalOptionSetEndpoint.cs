using Microsoft.AspNetCore.Http;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.OData;

namespace ReportingSync.DataverseSimulator.Metadata;

/// <summary><c>GlobalOptionSetDefinitions</c> and <c>GlobalOptionSetDefinitions(Name='x')</c>: the global choices in use.</summary>
internal sealed class GlobalOptionSetEndpoint(ServiceContext service)
{
    public async Task HandleAsync(HttpContext http, ApiSegment segment, QueryOptions query, CancellationToken cancellationToken)
    {
        var sets = service.Store.Entities
            .SelectMany(e => e.Attributes)
            .Select(a => a.OptionSet)
            .OfType<OptionSetDefinition>()
            .Where(s => s.IsGlobal)
            .GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        await using var writer = JsonResponse.Start(http.Response);
        if (segment.Key is not null)
        {
            var name = segment.KeyValue("Name")!;
            var set = sets.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                    || (Guid.TryParse(name, out var id) && s.MetadataId == id))
                ?? throw new ODataException(404, ErrorCodes.ODataError, $"Could not find optionset with name '{name}'.");
            writer.WriteStartObject();
            writer.WriteString("@odata.context", service.MetadataContext("GlobalOptionSetDefinitions/$entity"));
            writer.WriteString("@odata.type", "#Microsoft.Dynamics.CRM.OptionSetMetadata");
            OptionSetJson.WriteProperties(writer, set, query.Select);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", service.MetadataContext("GlobalOptionSetDefinitions"));
            writer.WriteStartArray("value");
            foreach (var set in sets)
            {
                writer.WriteStartObject();
                writer.WriteString("@odata.type", "#Microsoft.Dynamics.CRM.OptionSetMetadata");
                OptionSetJson.WriteProperties(writer, set, query.Select);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
    }
}
