using System.Net;
using System.Text.Json;

namespace ReportingSync.Tests.Simulator.Support;

/// <summary>Small helpers for reading Web API responses in tests.</summary>
internal static class ODataClient
{
    public static async Task<(HttpResponseMessage Response, JsonElement Body)> GetJsonAsync(
        this HttpClient client, string url, string? prefer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response, body);
    }

    public static async Task<JsonElement> GetOkAsync(this HttpClient client, string url, string? prefer = null)
    {
        var (response, body) = await client.GetJsonAsync(url, prefer);
        response.StatusCode.Should().Be(HttpStatusCode.OK, body.ValueKind == JsonValueKind.Undefined ? "" : body.ToString());
        return body;
    }

    /// <summary>Follows nextLinks from <paramref name="url"/> until a page has none; returns every page.</summary>
    public static async Task<List<JsonElement>> ReadAllPagesAsync(this HttpClient client, string url, string? prefer = null)
    {
        var pages = new List<JsonElement>();
        string? next = url;
        while (next is not null)
        {
            var page = await client.GetOkAsync(next, prefer);
            pages.Add(page);
            next = page.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        return pages;
    }

    public static string? Str(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static IEnumerable<JsonElement> Values(this JsonElement page) => page.GetProperty("value").EnumerateArray();

    public static (string Code, string Message) Error(this JsonElement body) =>
        (body.GetProperty("error").GetProperty("code").GetString()!, body.GetProperty("error").GetProperty("message").GetString()!);
}
