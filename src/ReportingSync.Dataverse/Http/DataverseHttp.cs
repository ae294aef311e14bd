using System.Net;
using System.Net.Http.Headers;
using System.Reflection;

namespace ReportingSync.Dataverse;

/// <summary>The one HTTP stack shared by all entities: pooled connections, decompression, OData headers.</summary>
internal static class DataverseHttp
{
    private static readonly string UserAgent =
        "ReportingSync/" + (typeof(DataverseHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "0");

    public static SocketsHttpHandler CreateHandler(DataverseOptions options) => new()
    {
        AutomaticDecompression = DecompressionMethods.All,

        // Recycle connections so DNS changes (Dataverse moves environments between clusters) are picked up.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = options.ConnectTimeout,

        // No ARRAffinity cookie: Microsoft's guidance for parallel clients is to let every request go to any server,
        // which spreads the per-server service-protection limits.
        UseCookies = false,

        // Dataverse API calls do not redirect; a redirect means a misconfigured Url and must surface, not be followed.
        AllowAutoRedirect = false,
    };

    public static HttpClient CreateClient(HttpMessageHandler handler)
    {
        // Our own per-attempt timeout (TimeProvider-driven) replaces HttpClient.Timeout.
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var headers = client.DefaultRequestHeaders;
        headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        headers.Add("OData-MaxVersion", "4.0");
        headers.Add("OData-Version", "4.0");
        headers.UserAgent.ParseAdd(UserAgent);
        return client;
    }
}
