using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>
/// Reads a table's <see cref="EntitySchema"/>: its definition and attribute list (two requests, concurrently), then one
/// cast request per attribute type present (concurrently) for type details and option sets. Every name is validated:
/// metadata is remote input and names end up in SQL.
/// </summary>
internal sealed class MetadataReader(DataverseTransport transport, ILogger logger)
{
    private const string DefinitionSelect =
        "$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,ChangeTrackingEnabled,MetadataId";

    private const string AttributeSelect = "$select=LogicalName,AttributeType,AttributeTypeName,IsValidForRead,AttributeOf,MetadataId";

    public async Task<EntitySchema> ReadAsync(string logicalName, CancellationToken cancellationToken)
    {
        // Validated before it goes into a URL: a quote here would change the request.
        var entity = Identifier.Validate(logicalName, "entity");
        var root = $"{transport.ApiBase}EntityDefinitions(LogicalName='{entity}')";
        var definitionTask = GetAsync(entity, $"{root}?{DefinitionSelect}", MetadataJsonContext.Default.EntityDefinitionDto, cancellationToken);
        var attributesTask = GetAsync(entity, $"{root}/Attributes?{AttributeSelect}", MetadataJsonContext.Default.AttributeListDto, cancellationToken);

        // Awaits both; when the table does not exist both fail, and the definition's EntityNotFound comes first.
        await Task.WhenAll(definitionTask, attributesTask).ConfigureAwait(false);
        var definition = await definitionTask.ConfigureAwait(false);
        var attributes = (await attributesTask.ConfigureAwait(false)).Value ?? [];

        var kept = new List<(AttributeDto Attribute, AttributeKind Kind)>();
        foreach (var attribute in attributes)
        {
            if (Keep(entity, attribute) is { } kind)
            {
                kept.Add((attribute, kind));
            }
        }

        var details = await ReadDetailsAsync(entity, root, kept.Select(k => k.Kind), cancellationToken).ConfigureAwait(false);
        var schema = new EntitySchema
        {
            LogicalName = Identifier.Validate(definition.LogicalName, "entity"),
            EntitySetName = Identifier.Validate(definition.EntitySetName, "entity set"),
            PrimaryIdAttribute = Identifier.Validate(definition.PrimaryIdAttribute, "primary id attribute"),
            PrimaryNameAttribute = definition.PrimaryNameAttribute is null ? null : Identifier.Validate(definition.PrimaryNameAttribute, "primary name attribute"),
            ChangeTrackingEnabled = definition.ChangeTrackingEnabled == true,
            MetadataId = definition.MetadataId,

            // Sorted, so the layout (and its fingerprint) does not change when Dataverse lists attributes in another order.
            Attributes = kept
                .Select(k => ToSchema(entity, k.Attribute, k.Kind, details.GetValueOrDefault(k.Attribute.LogicalName!)))
                .OrderBy(a => a.LogicalName, StringComparer.Ordinal)
                .ToList(),
        };
        Log.SchemaRead(logger, entity, schema.Attributes.Count, attributes.Count - kept.Count, schema.ChangeTrackingEnabled);
        return schema;
    }

    private AttributeKind? Keep(string entity, AttributeDto attribute)
    {
        var name = Identifier.Validate(attribute.LogicalName, $"attribute ({entity})");
        var typeName = attribute.AttributeTypeName?.Value;
        string? reason = null;
        AttributeKind? kind = null;
        if (attribute.IsValidForRead == false)
        {
            reason = "not valid for read";
        }
        else if ((kind = AttributeKinds.From(attribute.AttributeType, typeName)) is null)
        {
            reason = "type not replicated";
        }

        if (reason is not null)
        {
            Log.AttributeSkipped(logger, entity, name, attribute.AttributeType, typeName, reason);
        }

        return kind;
    }

    private async Task<Dictionary<string, AttributeDto>> ReadDetailsAsync(
        string entity, string root, IEnumerable<AttributeKind> kinds, CancellationToken cancellationToken)
    {
        var casts = kinds.Select(AttributeCast.For).OfType<AttributeCast>().Distinct().ToList();
        var answers = await Task.WhenAll(casts.Select(cast => GetAsync(
            entity,
            $"{root}/Attributes/Microsoft.Dynamics.CRM.{cast.TypeName}?{cast.Query}",
            MetadataJsonContext.Default.AttributeListDto,
            cancellationToken))).ConfigureAwait(false);

        var details = new Dictionary<string, AttributeDto>(StringComparer.Ordinal);
        foreach (var detail in answers.SelectMany(a => a.Value ?? []))
        {
            if (detail.LogicalName is not null)
            {
                details[detail.LogicalName] = detail;
            }
        }

        return details;
    }

    private static AttributeSchema ToSchema(string entity, AttributeDto attribute, AttributeKind kind, AttributeDto? detail) => new()
    {
        LogicalName = attribute.LogicalName!,
        Kind = kind,
        MaxLength = detail?.MaxLength,
        Precision = detail?.Precision,
        PrecisionSource = kind == AttributeKind.Money ? MoneySource(detail?.PrecisionSource) : null,
        DateTimeBehavior = Enum.TryParse<DateTimeBehavior>(detail?.DateTimeBehavior?.Value, ignoreCase: false, out var behavior)
            && Enum.IsDefined(behavior)
                ? behavior
                : DateTimeBehavior.UserLocal,
        Targets = (detail?.Targets ?? []).Select(t => Identifier.Validate(t, $"lookup target ({entity}.{attribute.LogicalName})")).ToList(),
        AttributeOf = attribute.AttributeOf is null ? null : Identifier.Validate(attribute.AttributeOf, $"attribute ({entity})"),
        OptionSet = kind is AttributeKind.Picklist or AttributeKind.MultiSelectPicklist or AttributeKind.State or AttributeKind.Status
            ? OptionSetConverter.From(detail?.OptionSet, detail?.GlobalOptionSet)
            : null,
        MetadataId = attribute.MetadataId,
    };

    /// <summary>Microsoft: "If this property is not assigned a value, it defaults to 2" (the currency's precision).</summary>
    private static MoneyPrecisionSource MoneySource(int? value) =>
        value is { } source && Enum.IsDefined((MoneyPrecisionSource)source) ? (MoneyPrecisionSource)source : MoneyPrecisionSource.Currency;

    private async Task<T> GetAsync<T>(
        string entity, string url, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var request = new DataverseRequest(new Uri(url), entity, RequestPurpose.Metadata);
        var sent = await transport.SendAsync(
            request,
            body => JsonText.Deserialize(body, type) ?? throw new JsonException("The metadata answer is empty."),
            cancellationToken).ConfigureAwait(false);
        return sent.Value;
    }
}
