using System.Text.Json;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// <see cref="ReseedBlock.Objects"/> as the state table keeps them (column <c>ReseedBlockedBy</c>): a JSON array of
/// <c>{"name", "reason", "remedy"}</c>, readable by anyone who queries the state table.
/// </summary>
internal static class BlockingObjectsJson
{
    public static string Write(IReadOnlyList<BlockingObject> objects) => JsonSerializer.Serialize(objects.ToList(), BlockingObjectsJsonContext.Default.ListBlockingObject);

    public static IReadOnlyList<BlockingObject> Read(string entity, string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(json, BlockingObjectsJsonContext.Default.ListBlockingObject) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidSchemaException(entity, $"the state row's ReseedBlockedBy is not the JSON this version writes ({ex.Message}).");
        }
    }
}
