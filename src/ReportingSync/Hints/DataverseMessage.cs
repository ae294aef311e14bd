using System.Text.Json;

namespace ReportingSync.Hints;

/// <summary>
/// What a hint needs from a Dataverse message: the table's logical name, from a header / message property when there
/// is one, else from the <c>RemoteExecutionContext</c> JSON body (<c>PrimaryEntityName</c>). Nothing else is read.
/// </summary>
internal static class DataverseMessage
{
    /// <summary>The Service Bus message property Dataverse sets to the table's logical name.</summary>
    public const string EntityProperty = "http://schemas.microsoft.com/xrm/2011/Claims/EntityLogicalName";

    /// <summary>The webhook header with the table's logical name.</summary>
    public const string EntityHeader = "x-ms-dynamics-entity-name";

    /// <summary>Largest body read to find the name; Service Bus messages are at most 256 KB (standard tier).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary><c>PrimaryEntityName</c> of a RemoteExecutionContext body, or null when absent or not JSON.</summary>
    public static string? EntityFromBody(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // Only the top level: ParentContext carries a PrimaryEntityName of its own.
                var isName = reader.ValueTextEquals("PrimaryEntityName"u8);
                reader.Read();
                if (isName)
                {
                    return reader.TokenType == JsonTokenType.String ? Clean(reader.GetString()) : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON (a .NETBinary or XML message format): only the property/header can name the table.
        }

        return null;
    }

    /// <summary>
    /// A logical name as it may appear in a header or message property (REST custom properties are JSON values, so a
    /// string may arrive quoted). Returns null for anything that cannot be a logical name.
    /// </summary>
    public static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var name = value.Trim();
        if (name.Length >= 2 && name[0] == '"' && name[^1] == '"')
        {
            name = name[1..^1];
        }

        return name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name.ToLowerInvariant() : null;
    }
}
