using System.Text;
using System.Text.Json;

namespace ReportingSync.Dataverse;

/// <summary>The <c>{"error":{"code":"0x...","message":"..."}}</c> body Dataverse sends with failures.</summary>
internal readonly record struct DataverseError(string? Code, string? Message)
{
    private const int MaxMessageLength = 500;

    /// <summary>Reads the error body; gateways may send HTML or nothing, which yields an empty error.</summary>
    public static DataverseError Parse(ReadOnlySpan<byte> body)
    {
        string? code = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (!isError || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isCode = reader.ValueTextEquals("code"u8);
                    var isMessage = reader.ValueTextEquals("message"u8);
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && (isCode || isMessage))
                    {
                        if (isCode)
                        {
                            code = reader.GetString();
                        }
                        else
                        {
                            message = Shorten(reader.GetString());
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                break;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): keep what was found.
        }

        return new DataverseError(code, message);
    }

    public bool HasCode(string code) => string.Equals(Code, code, StringComparison.OrdinalIgnoreCase);

    /// <summary>For messages: "0x80044352: Version stamp ..." or whatever part is known.</summary>
    public string Describe(int statusCode, string? reasonPhrase)
    {
        var text = new StringBuilder().Append("HTTP ").Append(statusCode);
        if (!string.IsNullOrEmpty(reasonPhrase))
        {
            text.Append(' ').Append(reasonPhrase);
        }

        if (Code is not null)
        {
            text.Append(", code ").Append(Code);
        }

        if (Message is not null)
        {
            text.Append(": ").Append(Message);
        }

        return text.ToString();
    }

    private static string? Shorten(string? message) =>
        message is { Length: > MaxMessageLength } ? message[..MaxMessageLength] + "…" : message;
}
