using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.OData;
using ReportingSync.DataverseSimulator.OData.Filtering;

namespace ReportingSync.DataverseSimulator.Metadata;

internal sealed partial class MetadataEndpoint
{
    private async Task AttributesAsync(HttpContext http, EntityDefinition entity, string cast, QueryOptions query, CancellationToken cancellationToken)
    {
        var (select, expand) = CheckAttributeQuery(cast, query);
        var filter = query.Filter is { } text
            ? FilterBinder.Bind(FilterParser.Parse(text),
                name => AttributeMetadataProperties.PropertiesOf(cast).Contains(name) ? FilterValueType.Any : null,
                name => ErrorCodes.PropertyNotFound(name, cast))
            : null;
        var attributes = entity.Attributes
            .Where(a => AttributeMetadataProperties.IsOfType(a, cast))
            .Where(a => filter is null || FilterEvaluator.Evaluate(filter, name => AttributeMetadataProperties.ValueOf(entity, a, name)))
            .ToList();

        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext(AttributesContext(entity, cast, query)));
        writer.WriteStartArray("value");
        foreach (var attribute in attributes)
        {
            WriteAttribute(writer, entity, attribute, cast, select, expand);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
        SetRows(http, attributes.Count);
    }

    private async Task AttributeAsync(HttpContext http, EntityDefinition entity, AttributeDefinition attribute, string cast, QueryOptions query, CancellationToken cancellationToken)
    {
        if (!AttributeMetadataProperties.IsOfType(attribute, cast))
        {
            throw new ODataException(404, ErrorCodes.ODataError,
                $"The attribute '{attribute.LogicalName}' is not of type 'Microsoft.Dynamics.CRM.{cast}'.");
        }

        var (select, expand) = CheckAttributeQuery(cast, query);
        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext(AttributesContext(entity, cast, query) + "/$entity"));
        WriteAttributeProperties(writer, entity, attribute, cast, select, expand);
        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
        SetRows(http, 1);
    }

    private static (IReadOnlyList<string>? Select, IReadOnlyList<ExpandItem> Expand) CheckAttributeQuery(string cast, QueryOptions query)
    {
        var allowed = AttributeMetadataProperties.PropertiesOf(cast).ToHashSet(StringComparer.Ordinal);
        var select = CheckSelect(query.Select, allowed.Contains, cast);
        var navigation = AttributeMetadataProperties.NavigationOf(cast).ToHashSet(StringComparer.Ordinal);
        var expand = query.Expand ?? [];
        if (expand.FirstOrDefault(e => !navigation.Contains(e.Name)) is { } unknown)
        {
            throw ErrorCodes.PropertyNotFound(unknown.Name, cast);
        }

        return (select, expand);
    }

    private static void WriteAttribute(Utf8JsonWriter writer, EntityDefinition entity, AttributeDefinition attribute, string cast, IReadOnlyList<string>? select, IReadOnlyList<ExpandItem> expand)
    {
        writer.WriteStartObject();
        WriteAttributeProperties(writer, entity, attribute, cast, select, expand);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Without <c>$select</c> an attribute carries every property of its own type (the payload is polymorphic, as on
    /// the real service); with one, exactly the selected properties. <c>@odata.type</c> and MetadataId always.
    /// </summary>
    private static void WriteAttributeProperties(Utf8JsonWriter writer, EntityDefinition entity, AttributeDefinition attribute, string cast, IReadOnlyList<string>? select, IReadOnlyList<ExpandItem> expand)
    {
        writer.WriteString("@odata.type", "#Microsoft.Dynamics.CRM." + attribute.MetadataTypeName);
        AttributeMetadataProperties.Write(writer, entity, attribute, "MetadataId");
        var properties = select ?? AttributeMetadataProperties.PropertiesOf(attribute.MetadataTypeName);
        foreach (var name in properties)
        {
            if (name != "MetadataId")
            {
                AttributeMetadataProperties.Write(writer, entity, attribute, name);
            }
        }

        foreach (var item in expand)
        {
            var set = item.Name == "GlobalOptionSet" ? (attribute.OptionSet is { IsGlobal: true } global ? global : null) : attribute.OptionSet;
            OptionSetJson.Write(writer, item.Name, set, item.Select);
        }
    }

    private static string AttributesContext(EntityDefinition entity, string cast, QueryOptions query) =>
        $"EntityDefinitions('{entity.LogicalName}')/Attributes"
        + (cast == AttributeMetadataProperties.BaseType ? string.Empty : "/Microsoft.Dynamics.CRM." + cast)
        + ContextSelect(query);
}
