using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.OData;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.Metadata;

/// <summary>
/// The <c>RetrieveMetadataChanges</c> function (learn.microsoft.com, "Query schema definitions" and "Cache schema data"):
/// <c>RetrieveMetadataChanges(Query=@p1,ClientVersionStamp=@p2,DeletedMetadataFilters=@p3)</c>. Without a stamp it
/// answers the query; with one, only the tables and columns changed since it (a table whose columns changed comes with
/// <c>HasChanged</c> false and just those columns), and with <c>DeletedMetadataFilters</c> the MetadataIds deleted since.
/// Every answer carries a new <c>ServerVersionStamp</c>; a stamp too old, from before <c>ExpireMetadataStamps</c>, or never
/// issued here fails with ExpiredVersionStamp (0x80044352): the client must read its metadata in full.
/// </summary>
internal sealed class MetadataChangesEndpoint(ServiceContext service)
{
    public const string Name = "RetrieveMetadataChanges";

    public async Task HandleAsync(HttpContext http, ApiSegment function, QueryOptions query, CancellationToken cancellationToken)
    {
        var parameters = FunctionParameters.Parse(function, query);
        var metadataQuery = MetadataQuery.Parse(parameters["Query"]);
        var stamp = parameters.StringLiteral("ClientVersionStamp");
        var deletedKinds = DeletedKinds(parameters["DeletedMetadataFilters"]);
        var store = service.Store;
        var version = store.MetadataVersion;
        var since = stamp is null ? (long?)null : CheckStamp(stamp, version);
        var changes = since is { } s ? store.MetadataChangesSince(s).Where(c => c.Version <= version).ToList() : null;

        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext("Microsoft.Dynamics.CRM.RetrieveMetadataChangesResponse"));
        writer.WriteString("ServerVersionStamp", new DeltaToken(version, service.Time.GetUtcNow()).ToString());
        WriteDeleted(writer, changes, deletedKinds);
        writer.WriteStartArray("EntityMetadata");
        var written = 0;
        foreach (var entity in store.Entities)
        {
            if (metadataQuery.EntityCriteria?.Matches(name => EntityMetadataProperties.ValueOf(entity, name)) == false)
            {
                continue;
            }

            var entityChanged = changes?.Any(c => c.EntityId == entity.MetadataId && c.AttributeId is null && !c.Deleted);
            var attributes = Attributes(entity, metadataQuery, changes);
            if (changes is not null && entityChanged == false && attributes.Count == 0)
            {
                continue;
            }

            WriteEntity(writer, entity, entityChanged, metadataQuery, attributes);
            written++;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
        if (http.Features.Get<Requests.RequestContext>() is { } context)
        {
            context.RowsReturned = written;
        }
    }

    /// <summary>The stamp's metadata version, or ExpiredVersionStamp when it cannot be answered from the change record.</summary>
    private long CheckStamp(string stamp, long version)
    {
        DeltaToken parsed;
        try
        {
            parsed = DeltaToken.Parse(stamp);
        }
        catch (ODataException)
        {
            throw new ODataException(400, ErrorCodes.InvalidArgument, $"The ClientVersionStamp '{stamp}' is not a version stamp this service issues.");
        }

        var store = service.Store;
        if (parsed.Version > version || parsed.Version < store.MetadataStampFloor
            || parsed.IssuedAt < service.Time.GetUtcNow() - store.MetadataStampRetention)
        {
            throw ErrorCodes.Expired();
        }

        return parsed.Version;
    }

    /// <summary>Columns the answer carries for a table: all that match the query, or after a stamp only the changed ones.</summary>
    private static List<AttributeDefinition> Attributes(EntityDefinition entity, MetadataQuery query, List<MetadataChange>? changes)
    {
        if (!query.IncludesAttributes)
        {
            return [];
        }

        var changed = changes?.Where(c => c.EntityId == entity.MetadataId && c.AttributeId is not null && !c.Deleted)
            .Select(c => c.AttributeId!.Value).ToHashSet();
        return entity.Attributes
            .Where(a => changed is null || changed.Contains(a.MetadataId))
            .Where(a => query.AttributeCriteria?.Matches(name => AttributeMetadataProperties.ValueOf(entity, a, name)) != false)
            .ToList();
    }

    private static void WriteEntity(
        Utf8JsonWriter writer, EntityDefinition entity, bool? hasChanged, MetadataQuery query, List<AttributeDefinition> attributes)
    {
        writer.WriteStartObject();
        writer.WriteString("MetadataId", entity.MetadataId);
        writer.WriteString("LogicalName", entity.LogicalName);
        WriteHasChanged(writer, hasChanged);
        foreach (var name in query.EntityProperties ?? EntityMetadataProperties.All.Except(["MetadataId", "LogicalName", "HasChanged"]))
        {
            if (EntityMetadataProperties.Exists(name))
            {
                EntityMetadataProperties.Write(writer, entity, name);
            }
            else
            {
                writer.WriteNull(name);
            }
        }

        if (query.IncludesAttributes)
        {
            writer.WriteStartArray("Attributes");
            foreach (var attribute in attributes)
            {
                WriteAttribute(writer, entity, attribute, hasChanged is null ? null : true, query);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>The complex types of this function are named Complex…AttributeMetadata (as Microsoft's example shows).</summary>
    private static void WriteAttribute(Utf8JsonWriter writer, EntityDefinition entity, AttributeDefinition attribute, bool? hasChanged, MetadataQuery query)
    {
        writer.WriteStartObject();
        var type = attribute.MetadataTypeName;
        if (type != AttributeMetadataProperties.BaseType)
        {
            writer.WriteString("@odata.type", "#Microsoft.Dynamics.CRM.Complex" + type);
        }

        writer.WriteString("MetadataId", attribute.MetadataId);
        writer.WriteString("LogicalName", attribute.LogicalName);
        WriteHasChanged(writer, hasChanged);
        var own = AttributeMetadataProperties.PropertiesOf(type).ToHashSet(StringComparer.Ordinal);
        foreach (var name in query.AttributeProperties ?? own.Except(["MetadataId", "LogicalName", "HasChanged"]))
        {
            if (own.Contains(name))
            {
                AttributeMetadataProperties.Write(writer, entity, attribute, name);
            }
            else
            {
                writer.WriteNull(name);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteHasChanged(Utf8JsonWriter writer, bool? hasChanged)
    {
        if (hasChanged is { } changed)
        {
            writer.WriteBoolean("HasChanged", changed);
        }
        else
        {
            writer.WriteNull("HasChanged");
        }
    }

    /// <summary>
    /// <c>DeletedMetadata</c>: keys (DeletedMetadataFilters names) and, per key, the MetadataIds deleted since the stamp.
    /// Only tables and columns are tracked here; other kinds asked for come back empty.
    /// </summary>
    private static void WriteDeleted(Utf8JsonWriter writer, List<MetadataChange>? changes, IReadOnlyList<string> kinds)
    {
        var groups = changes is null
            ? []
            : kinds.Select(kind => (Key: kind, Value: changes
                    .Where(c => c.Deleted && (kind == "Entity" ? c.AttributeId is null : kind == "Attribute" && c.AttributeId is not null))
                    .Select(c => c.AttributeId ?? c.EntityId)
                    .Distinct()
                    .ToList()))
                .Where(g => g.Value.Count > 0)
                .ToList();
        DataCollectionJson.Write(writer, "DeletedMetadata", groups, static (w, ids) =>
        {
            w.WriteStartArray();
            ids.ForEach(w.WriteStringValue);
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// <c>Microsoft.Dynamics.CRM.DeletedMetadataFilters'Entity,Attribute'</c> (flags: Default = Entity, All = every kind);
    /// none without the parameter.
    /// </summary>
    private static IReadOnlyList<string> DeletedKinds(string? literal)
    {
        if (literal is null)
        {
            return [];
        }

        var start = literal.IndexOf('\'', StringComparison.Ordinal);
        var names = start >= 0 && literal.EndsWith('\'') ? literal[(start + 1)..^1] : literal;
        var kinds = new List<string>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            kinds.AddRange(name switch
            {
                "All" => ["Entity", "Attribute", "Relationship", "Label", "OptionSet"],
                "Default" or "Entity" => ["Entity"],
                "Attribute" or "Relationship" or "Label" or "OptionSet" => [name],
                _ => throw ErrorCodes.BadRequest($"'{name}' is not a DeletedMetadataFilters value."),
            });
        }

        return kinds.Distinct().ToList();
    }
}
