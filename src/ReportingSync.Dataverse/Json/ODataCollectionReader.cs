using System.Buffers;
using System.Text.Json;

namespace ReportingSync.Dataverse;

/// <summary>
/// Walks an OData collection answer (<c>{"@odata.context": ..., "value": [...], "@odata.nextLink": ...}</c>) straight
/// from its UTF-8 bytes, handing each item to a struct handler (no DOM, no per-item allocation here). Property order
/// is not assumed: links may come before or after <c>value</c>.
/// </summary>
internal static class ODataCollectionReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    public static ODataLinks Read<THandler>(ReadOnlySpan<byte> body, ref THandler handler)
        where THandler : struct, IODataItemHandler
    {
        var reader = new Utf8JsonReader(body, Options);
        return Read(ref reader, ref handler);
    }

    /// <summary>A body held in segments (see <see cref="ResponseBody"/>); values may span two segments.</summary>
    public static ODataLinks Read<THandler>(ReadOnlySequence<byte> body, ref THandler handler)
        where THandler : struct, IODataItemHandler
    {
        var reader = new Utf8JsonReader(body, Options);
        return Read(ref reader, ref handler);
    }

    private static ODataLinks Read<THandler>(ref Utf8JsonReader reader, ref THandler handler)
        where THandler : struct, IODataItemHandler
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? next = null;
        string? delta = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(ODataNames.Value))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    handler.ReadItem(ref reader);
                }

                if (reader.TokenType != JsonTokenType.EndArray)
                {
                    throw new JsonException($"Expected an object in 'value', found {reader.TokenType}.");
                }
            }
            else if (reader.ValueTextEquals(ODataNames.NextLink))
            {
                next = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(ODataNames.DeltaLink))
            {
                delta = ReadString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("The answer does not end where its top-level object ends.");
        }

        return new ODataLinks(next, delta);
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"Expected a link string, found {reader.TokenType}."),
        };
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"Expected {type}, found {reader.TokenType}.");
        }
    }
}
