using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>
/// A scripted Dataverse on 127.0.0.1 over real HTTP (Kestrel): answers each request with whatever the test's responder
/// returns, and records the raw request target (as it crossed the wire), headers and arrival/response times.
/// </summary>
internal sealed class StubDataverse : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentBag<RecordedRequest> _requests = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Func<RecordedRequest, StubResponse> _responder = _ => StubResponse.Error(404, "0x80060888", "No responder configured.");
    private int _count;

    private StubDataverse(WebApplication app) => _app = app;

    /// <summary>e.g. <c>http://127.0.0.1:54321</c> (no trailing slash).</summary>
    public string Url { get; private set; } = "";

    /// <summary><c>{Url}/api/data/v9.2/</c>.</summary>
    public string Api => Url + "/api/data/v9.2/";

    /// <summary>Requests in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.OrderBy(r => r.Index).ToList();

    /// <summary>Time since the stub started, on the clock the request times use.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public static async Task<StubDataverse> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new StubDataverse(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return stub;
    }

    public void Respond(Func<RecordedRequest, StubResponse> responder) => _responder = responder;

    /// <summary>Answers the n-th request (0-based, any path) with the n-th response; the last one repeats.</summary>
    public void RespondInOrder(params StubResponse[] responses) =>
        _responder = r => responses[Math.Min(r.Index, responses.Length - 1)];

    private async Task HandleAsync(HttpContext context)
    {
        var feature = context.Features.Get<IHttpRequestFeature>()!;
        var recorded = new RecordedRequest(
            Interlocked.Increment(ref _count) - 1,
            context.Request.Method,
            feature.RawTarget,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            _clock.Elapsed);
        _requests.Add(recorded);

        var response = _responder(recorded);
        if (response.Delay > TimeSpan.Zero)
        {
            await Task.Delay(response.Delay);
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        var body = Encoding.UTF8.GetBytes(response.Body);
        if (response.Gzip)
        {
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(body);
            }

            body = compressed.ToArray();
            context.Response.Headers.ContentEncoding = "gzip";
        }

        context.Response.ContentType = "application/json; odata.metadata=minimal";
        context.Response.ContentLength = body.Length;
        if (response.TruncateAt is { } cut)
        {
            // Promise the whole body, send part of it, drop the connection: a reset mid-body.
            await context.Response.Body.WriteAsync(body.AsMemory(0, cut));
            await context.Response.Body.FlushAsync();
            recorded.RespondedAt = _clock.Elapsed;
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(body);
        await context.Response.CompleteAsync();
        recorded.RespondedAt = _clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
