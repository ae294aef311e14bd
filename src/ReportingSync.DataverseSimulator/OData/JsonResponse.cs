using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>Headers and body plumbing shared by every Web API response.</summary>
internal static class JsonResponse
{
    public const string ContentType = "application/json; odata.metadata=minimal";

    /// <summary>Rows written between flushes, so a large page streams instead of buffering.</summary>
    public const int FlushEvery = 200;

    public static Utf8JsonWriter Start(HttpResponse response, int statusCode = 200)
    {
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        response.Headers["OData-Version"] = "4.0";
        return new Utf8JsonWriter(response.BodyWriter, WriterOptions);
    }

    /// <summary>
    /// Minimal escaping (quotes, backslashes, control characters), like the service: links keep a literal '&amp;' and
    /// text keeps its UTF-8, so clients see emoji and right-to-left text as raw multi-byte sequences.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task FlushAsync(Utf8JsonWriter writer, HttpResponse response, CancellationToken cancellationToken)
    {
        writer.Flush();
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    public static async Task WriteErrorAsync(HttpResponse response, string code, string message, int statusCode, CancellationToken cancellationToken)
    {
        await using var writer = Start(response, statusCode);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await FlushAsync(writer, response, cancellationToken);
    }

    public static Task WriteErrorAsync(HttpResponse response, ODataException error, CancellationToken cancellationToken) =>
        WriteErrorAsync(response, error.Code, error.Message, error.StatusCode, cancellationToken);
}
