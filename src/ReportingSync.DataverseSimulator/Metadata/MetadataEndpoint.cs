using Microsoft.AspNetCore.Http;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.OData;
using ReportingSync.DataverseSimulator.OData.Filtering;

namespace ReportingSync.DataverseSimulator.Metadata;

/// <summary>
/// <c>EntityDefinitions</c>, <c>EntityDefinitions(LogicalName='x')</c>, and their <c>Attributes</c> (optionally one
/// attribute, optionally cast to a metadata type), with <c>$select</c>, <c>$filter</c> and <c>$expand</c>.
/// </summary>
internal sealed partial class MetadataEndpoint(ServiceContext service)
{
    public async Task HandleAsync(HttpContext http, IReadOnlyList<ApiSegment> segments, QueryOptions query, CancellationToken cancellationToken)
    {
        var root = segments[0];
        if (root.Name != "EntityDefinitions")
        {
            throw ErrorCodes.SegmentNotFound(root.Name);
        }

        if (root.Key is null)
        {
            if (segments.Count > 1)
            {
                throw ErrorCodes.SegmentNotFound(segments[1].Name);
            }

            await EntitiesAsync(http, query, cancellationToken);
            return;
        }

        var entity = FindEntity(root);
        if (segments.Count == 1)
        {
            await EntityAsync(http, entity, query, cancellationToken);
            return;
        }

        if (segments[1].Name != "Attributes")
        {
            throw ErrorCodes.SegmentNotFound(segments[1].Name);
        }

        var cast = AttributeMetadataProperties.BaseType;
        if (segments.Count > 2)
        {
            const string prefix = "Microsoft.Dynamics.CRM.";
            var typeName = segments[2].Name.StartsWith(prefix, StringComparison.Ordinal) ? segments[2].Name[prefix.Length..] : segments[2].Name;
            if (segments.Count > 3 || !AttributeMetadataProperties.IsKnownType(typeName))
            {
                throw ErrorCodes.SegmentNotFound(segments[^1].Name);
            }

            cast = typeName;
        }

        if (segments[1].Key is not null)
        {
            await AttributeAsync(http, entity, FindAttribute(entity, segments[1]), cast, query, cancellationToken);
        }
        else
        {
            await AttributesAsync(http, entity, cast, query, cancellationToken);
        }
    }

    private EntityDefinition FindEntity(ApiSegment segment)
    {
        var key = segment.KeyValue("LogicalName")!;
        if (Guid.TryParse(key, out var metadataId))
        {
            return service.Store.Entities.FirstOrDefault(e => e.MetadataId == metadataId)
                ?? throw new ODataException(404, ErrorCodes.ODataError, $"Could not find entity with MetadataId '{metadataId}'.");
        }

        return service.Store.FindEntity(key) ?? throw ErrorCodes.EntityNotInMetadata(key);
    }

    private static AttributeDefinition FindAttribute(EntityDefinition entity, ApiSegment segment)
    {
        var key = segment.KeyValue("LogicalName")!;
        var attribute = Guid.TryParse(key, out var metadataId)
            ? entity.Attributes.FirstOrDefault(a => a.MetadataId == metadataId)
            : entity.Find(key);
        return attribute ?? throw new ODataException(404, ErrorCodes.ODataError,
            $"Could not find attribute '{key}' on entity '{entity.LogicalName}'.");
    }

    private async Task EntitiesAsync(HttpContext http, QueryOptions query, CancellationToken cancellationToken)
    {
        var select = CheckSelect(query.Select, EntityMetadataProperties.Exists, "EntityMetadata");
        var expandAttributes = AttributesExpand(query);
        var filter = query.Filter is { } text
            ? FilterBinder.Bind(FilterParser.Parse(text), name => EntityMetadataProperties.Exists(name) ? FilterValueType.Any : null,
                name => ErrorCodes.PropertyNotFound(name, "EntityMetadata"))
            : null;
        var entities = service.Store.Entities
            .Where(e => filter is null || FilterEvaluator.Evaluate(filter, name => EntityMetadataProperties.ValueOf(e, name)))
            .ToList();

        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext("EntityDefinitions" + ContextSelect(query)));
        writer.WriteStartArray("value");
        foreach (var entity in entities)
        {
            WriteEntity(writer, entity, select, expandAttributes);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
        SetRows(http, entities.Count);
    }

    private async Task EntityAsync(HttpContext http, EntityDefinition entity, QueryOptions query, CancellationToken cancellationToken)
    {
        var select = CheckSelect(query.Select, EntityMetadataProperties.Exists, "EntityMetadata");
        var expandAttributes = AttributesExpand(query);
        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext("EntityDefinitions" + ContextSelect(query) + "/$entity"));
        WriteEntityProperties(writer, entity, select, expandAttributes);
        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
        SetRows(http, 1);
    }

    private static void WriteEntity(System.Text.Json.Utf8JsonWriter writer, EntityDefinition entity, IReadOnlyList<string>? select, ExpandItem? attributes)
    {
        writer.WriteStartObject();
        WriteEntityProperties(writer, entity, select, attributes);
        writer.WriteEndObject();
    }

    private static void WriteEntityProperties(System.Text.Json.Utf8JsonWriter writer, EntityDefinition entity, IReadOnlyList<string>? select, ExpandItem? attributes)
    {
        EntityMetadataProperties.Write(writer, entity, "MetadataId");
        foreach (var name in select ?? EntityMetadataProperties.All)
        {
            if (name != "MetadataId")
            {
                EntityMetadataProperties.Write(writer, entity, name);
            }
        }

        if (attributes is not null)
        {
            var attributeSelect = CheckSelect(attributes.Select, n => AttributeMetadataProperties.Base.Contains(n), AttributeMetadataProperties.BaseType);
            writer.WriteStartArray("Attributes");
            foreach (var attribute in entity.Attributes)
            {
                WriteAttribute(writer, entity, attribute, AttributeMetadataProperties.BaseType, attributeSelect, []);
            }

            writer.WriteEndArray();
        }
    }

    private static ExpandItem? AttributesExpand(QueryOptions query)
    {
        if (query.Expand is null)
        {
            return null;
        }

        foreach (var item in query.Expand)
        {
            if (item.Name != "Attributes")
            {
                throw ErrorCodes.PropertyNotFound(item.Name, "EntityMetadata");
            }
        }

        return query.Expand[0];
    }

    private static IReadOnlyList<string>? CheckSelect(IReadOnlyList<string>? select, Func<string, bool> exists, string type)
    {
        if (select is not null && select.FirstOrDefault(s => !exists(s)) is { } missing)
        {
            throw ErrorCodes.PropertyNotFound(missing, type);
        }

        return select;
    }

    private static string ContextSelect(QueryOptions query)
    {
        var parts = new List<string>(query.Select ?? []);
        foreach (var expand in query.Expand ?? [])
        {
            parts.Add(expand.Select is null ? expand.Name : $"{expand.Name}({string.Join(',', expand.Select)})");
        }

        return parts.Count == 0 ? string.Empty : "(" + string.Join(',', parts) + ")";
    }

    private static void SetRows(HttpContext http, int rows)
    {
        if (http.Features.Get<Requests.RequestContext>() is { } context)
        {
            context.RowsReturned = rows;
        }
    }
}
