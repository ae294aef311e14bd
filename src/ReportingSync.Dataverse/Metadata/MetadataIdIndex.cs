using System.Collections.Concurrent;
using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>
/// Which table each known MetadataId (of a table or one of its columns) belongs to. <c>DeletedMetadata</c> names deleted
/// items by id alone, so a removed column is traced to its table through the ids seen in earlier schema reads and
/// metadata-change answers; an id never seen belongs to a table nobody asked about.
/// </summary>
internal sealed class MetadataIdIndex
{
    private readonly ConcurrentDictionary<Guid, string> _owners = new();

    public void Remember(EntitySchema schema)
    {
        Remember(schema.LogicalName, schema.MetadataId);
        foreach (var attribute in schema.Attributes)
        {
            Remember(schema.LogicalName, attribute.MetadataId);
        }
    }

    public void Remember(string entity, Guid metadataId)
    {
        if (metadataId != Guid.Empty)
        {
            _owners[metadataId] = entity;
        }
    }

    public string? OwnerOf(Guid metadataId) => _owners.GetValueOrDefault(metadataId);
}
