using System.Text.Json;
using ReportingSync.DataverseSimulator.OData;

namespace ReportingSync.DataverseSimulator.Metadata;

/// <summary>
/// The <c>Query</c> parameter of <c>RetrieveMetadataChanges</c>, an <c>EntityQueryExpression</c>: which tables
/// (<c>Criteria</c>), which of their properties (<c>Properties</c>: <c>PropertyNames</c> or <c>AllProperties</c>;
/// <c>Attributes</c> among them brings the columns) and which columns with which properties (<c>AttributeQuery</c>).
/// <c>MetadataId</c>, <c>LogicalName</c> and <c>HasChanged</c> always come (learn.microsoft.com, "Query schema definitions").
/// <c>LabelQuery</c>, <c>RelationshipQuery</c> and <c>KeyQuery</c> are accepted and ignored.
/// </summary>
internal sealed class MetadataQuery
{
    private static readonly string[] AlwaysIncluded = ["MetadataId", "LogicalName", "HasChanged"];

    public MetadataFilter? EntityCriteria { get; private init; }

    /// <summary>Entity properties to write besides the ones always included (null: all).</summary>
    public IReadOnlyList<string>? EntityProperties { get; private init; }

    public bool IncludesAttributes { get; private init; }

    public MetadataFilter? AttributeCriteria { get; private init; }

    /// <summary>Attribute properties to write besides the ones always included (null: all of each one's type).</summary>
    public IReadOnlyList<string>? AttributeProperties { get; private init; }

    /// <summary>No query is RetrieveAllEntities: every table, every property.</summary>
    public static MetadataQuery Parse(string? json)
    {
        if (json is null)
        {
            return new MetadataQuery { IncludesAttributes = true };
        }

        using var document = ParseJson(json);
        var root = document.RootElement;
        var (allEntityProperties, entityProperties) = Properties(root);
        var attributeQuery = root.TryGetProperty("AttributeQuery", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        var (allAttributeProperties, attributeProperties) = attributeQuery.ValueKind == JsonValueKind.Object ? Properties(attributeQuery) : (true, []);
        return new MetadataQuery
        {
            EntityCriteria = root.TryGetProperty("Criteria", out var c)
                ? MetadataFilter.Parse(c, EntityMetadataProperties.Exists, "EntityMetadata")
                : null,
            EntityProperties = allEntityProperties ? null : entityProperties.Except(AlwaysIncluded).Where(p => p != "Attributes").ToList(),
            IncludesAttributes = allEntityProperties || entityProperties.Contains("Attributes"),
            AttributeCriteria = attributeQuery.ValueKind == JsonValueKind.Object && attributeQuery.TryGetProperty("Criteria", out var ac)
                ? MetadataFilter.Parse(ac, name => AttributeMetadataProperties.AllNames.Contains(name), AttributeMetadataProperties.BaseType)
                : null,
            AttributeProperties = allAttributeProperties ? null : attributeProperties.Except(AlwaysIncluded).ToList(),
        };
    }

    /// <summary>
    /// The JSON of the alias, decoded once from the URL. Microsoft's own samples encode it with
    /// <c>HttpUtility.UrlEncode</c>, which writes spaces as '+': read those as spaces when the text is not JSON otherwise.
    /// </summary>
    private static JsonDocument ParseJson(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException) when (json.Contains('+', StringComparison.Ordinal))
        {
            return ParseJson(json.Replace('+', ' '));
        }
        catch (JsonException error)
        {
            throw ErrorCodes.BadRequest($"The Query parameter is not an EntityQueryExpression in JSON: {error.Message}");
        }
    }

    private static (bool All, IReadOnlyList<string> Names) Properties(JsonElement expression)
    {
        if (!expression.TryGetProperty("Properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return (true, []);
        }

        var all = properties.TryGetProperty("AllProperties", out var a) && a.ValueKind == JsonValueKind.True;
        var names = properties.TryGetProperty("PropertyNames", out var n) && n.ValueKind == JsonValueKind.Array
            ? n.EnumerateArray().Select(e => e.GetString()).OfType<string>().ToList()
            : [];
        return (all, names);
    }
}
