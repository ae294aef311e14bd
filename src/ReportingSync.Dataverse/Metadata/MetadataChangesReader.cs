using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// Cheap drift checks with <c>RetrieveMetadataChanges</c> (learn.microsoft.com, "Cache schema data"): one request names
/// every table asked about (<c>LogicalName In [...]</c>) and passes the last <c>ServerVersionStamp</c> as
/// <c>ClientVersionStamp</c>; the answer holds only the tables whose definition or columns changed, and the MetadataIds
/// deleted since (<c>DeletedMetadataFilters'All'</c>), which <see cref="MetadataIdIndex"/> traces back to their tables.
/// Columns come with their MetadataId only, which keeps the answer small.
/// </summary>
internal sealed class MetadataChangesReader(DataverseTransport transport, MetadataIdIndex index, ILogger logger)
{
    /// <summary>What these requests are called in logs, metrics and messages.</summary>
    public const string Subject = "RetrieveMetadataChanges";

    public async Task<MetadataChanges> ReadAsync(IReadOnlyCollection<string> entities, string? stamp, CancellationToken cancellationToken)
    {
        var names = entities.Select(e => Identifier.Validate(e, "entity")).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            // No criteria would ask for every table of the organisation (RetrieveAllEntities): never what is meant.
            throw new ArgumentException("At least one table is needed for a metadata-change check.", nameof(entities));
        }

        if (stamp is null)
        {
            var full = await SendAsync(names, null, cancellationToken).ConfigureAwait(false);
            return Changes(names, full.Value, full.Attempts, expired: false);
        }

        try
        {
            var changed = await SendAsync(names, stamp, cancellationToken).ConfigureAwait(false);
            return Changes(names, changed.Value, changed.Attempts, expired: false);
        }
        catch (MetadataStampExpiredException expired)
        {
            Log.MetadataStampExpired(logger, names.Count, expired.Message);
            var full = await SendAsync(names, null, cancellationToken).ConfigureAwait(false);
            return Changes(names, full.Value, full.Attempts + 1, expired: true);
        }
    }

    private MetadataChanges Changes(List<string> names, MetadataChangesDto answer, int requests, bool expired)
    {
        var asked = names.ToHashSet(StringComparer.Ordinal);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entity in answer.EntityMetadata ?? [])
        {
            if (entity.LogicalName is not { } name || !asked.Contains(name))
            {
                continue;
            }

            changed.Add(name);
            index.Remember(name, entity.MetadataId);
            foreach (var attribute in entity.Attributes ?? [])
            {
                index.Remember(name, attribute.MetadataId);
            }
        }

        foreach (var id in DeletedIds(answer.DeletedMetadata))
        {
            if (index.OwnerOf(id) is { } owner && asked.Contains(owner))
            {
                changed.Add(owner);
            }
        }

        if (expired)
        {
            changed.UnionWith(asked);
        }

        var stamp = answer.ServerVersionStamp is { Length: > 0 } s
            ? s
            : throw new JsonException("The RetrieveMetadataChanges answer has no ServerVersionStamp.");
        Log.MetadataChangesRead(logger, changed.Count, names.Count, string.Join(",", changed.Order(StringComparer.Ordinal)));
        return new MetadataChanges(stamp, changed) { Expired = expired, Requests = requests };
    }

    private static IEnumerable<Guid> DeletedIds(DeletedMetadataDto? deleted)
    {
        var ids = new List<Guid>();
        if (deleted is { Values.ValueKind: JsonValueKind.Array or JsonValueKind.Object })
        {
            Collect(deleted.Values, ids);
        }

        return ids;

        static void Collect(JsonElement element, List<Guid> into)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String when element.TryGetGuid(out var id):
                    into.Add(id);
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, into);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value, into);
                    }

                    break;
            }
        }
    }

    private Task<Sent<MetadataChangesDto>> SendAsync(List<string> names, string? stamp, CancellationToken cancellationToken)
    {
        var url = new StringBuilder(transport.ApiBase).Append(Subject)
            .Append(stamp is null ? "(Query=@p1)" : "(Query=@p1,ClientVersionStamp=@p2,DeletedMetadataFilters=@p3)")
            .Append("?@p1=").Append(Uri.EscapeDataString(QueryJson(names)));
        if (stamp is not null)
        {
            // An OData string literal: quoted, quotes doubled; then escaped like any query value.
            url.Append("&@p2=").Append(Uri.EscapeDataString("'" + stamp.Replace("'", "''", StringComparison.Ordinal) + "'"))
                .Append("&@p3=Microsoft.Dynamics.CRM.DeletedMetadataFilters'All'");
        }

        var request = new DataverseRequest(new Uri(url.ToString()), Subject, RequestPurpose.MetadataChanges);
        return transport.SendAsync(
            request,
            body => JsonText.Deserialize(body, MetadataJsonContext.Default.MetadataChangesDto) ?? throw new JsonException("The RetrieveMetadataChanges answer is empty."),
            cancellationToken);
    }

    /// <summary>
    /// The EntityQueryExpression: the tables by <c>LogicalName In ['a','b']</c> (a <c>System.String[]</c> value, as in
    /// Microsoft's examples), their <c>LogicalName</c> and <c>Attributes</c>, and of each column only what is always sent.
    /// </summary>
    private static string QueryJson(List<string> names)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("Criteria");
            json.WriteString("FilterOperator", "And");
            json.WriteStartArray("Conditions");
            json.WriteStartObject();
            json.WriteString("ConditionOperator", "In");
            json.WriteString("PropertyName", "LogicalName");
            json.WriteStartObject("Value");
            json.WriteString("Type", "System.String[]");

            // Names are validated identifiers: no quote can break out of the list.
            json.WriteString("Value", "[" + string.Join(",", names.Select(n => "'" + n + "'")) + "]");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            WriteProperties(json, "LogicalName", "Attributes");
            json.WriteStartObject("AttributeQuery");
            WriteProperties(json, "LogicalName");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteProperties(Utf8JsonWriter json, params string[] names)
    {
        json.WriteStartObject("Properties");
        json.WriteBoolean("AllProperties", false);
        json.WriteStartArray("PropertyNames");
        foreach (var name in names)
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
