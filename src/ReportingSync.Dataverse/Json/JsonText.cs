using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ReportingSync.Dataverse;

/// <summary>Small helpers over <see cref="Utf8JsonReader"/> tokens.</summary>
internal static class JsonText
{
    /// <summary>
    /// Copies the current property name (unescaped) into <paramref name="destination"/>; returns its length, or -1 when
    /// it does not fit (then it cannot be a name we look for).
    /// </summary>
    public static int CopyPropertyName(ref Utf8JsonReader reader, scoped Span<char> destination)
    {
        // UTF-8 never needs more chars than bytes, and escaping only makes the raw form longer.
        var rawLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        return rawLength <= destination.Length ? reader.CopyString(destination) : -1;
    }

    /// <summary>Deserializes a whole (possibly segmented) body with source-generated metadata.</summary>
    public static T? Deserialize<T>(ReadOnlySequence<byte> body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var reader = new Utf8JsonReader(body);
        return JsonSerializer.Deserialize(ref reader, type);
    }

    /// <summary>A short, printable excerpt of the current value for error messages.</summary>
    public static string Excerpt(ref Utf8JsonReader reader, int maxChars = 40)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return "an object";
            case JsonTokenType.StartArray:
                return "an array";
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
        }

        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
        var text = Encoding.UTF8.GetString(raw);
        if (text.Length > maxChars)
        {
            text = text[..maxChars] + "…";
        }

        var printable = string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return reader.TokenType == JsonTokenType.String ? $"string \"{printable}\"" : $"{reader.TokenType.ToString().ToLowerInvariant()} {printable}";
    }
}
