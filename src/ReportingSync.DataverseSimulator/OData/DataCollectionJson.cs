using System.Text.Json;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// How the Web API writes an SDK <c>DataCollection&lt;TKey, TValue&gt;</c> (RetrieveTotalRecordCount's
/// <c>EntityRecordCountCollection</c>, RetrieveMetadataChanges' <c>DeletedMetadata</c>):
/// <c>{"Count": n, "IsReadOnly": false, "Keys": [...], "Values": [...]}</c>, keys and values in matching order.
/// </summary>
internal static class DataCollectionJson
{
    public static void Write<T>(Utf8JsonWriter writer, string property, IReadOnlyList<(string Key, T Value)> items, Action<Utf8JsonWriter, T> writeValue)
    {
        writer.WriteStartObject(property);
        writer.WriteNumber("Count", items.Count);
        writer.WriteBoolean("IsReadOnly", false);
        writer.WriteStartArray("Keys");
        foreach (var (key, _) in items)
        {
            writer.WriteStringValue(key);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("Values");
        foreach (var (_, value) in items)
        {
            writeValue(writer, value);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
