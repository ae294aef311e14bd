using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ReportingSync.DataverseSimulator.OData;
using ReportingSync.DataverseSimulator.Requests;

namespace ReportingSync.DataverseSimulator.Faults;

/// <summary>Applies the fault rule that fires for a request, if any.</summary>
internal sealed class FaultMiddleware(RequestDelegate next, FaultInjector faults, TimeProvider time)
{
    private const string InternalError = "0x80040216";

    public async Task InvokeAsync(HttpContext http)
    {
        var context = http.Features.Get<RequestContext>();
        var rule = context is null ? null : faults.Match(http.Request.Method, context);
        if (rule is null)
        {
            await next(http);
            return;
        }

        context!.Fault = rule.Kind.ToString();
        var cancellationToken = http.RequestAborted;
        switch (rule.Kind)
        {
            case FaultKind.InternalServerError:
                await JsonResponse.WriteErrorAsync(http.Response, InternalError, "An unexpected error occurred.", 500, cancellationToken);
                break;
            case FaultKind.BadGateway:
                await JsonResponse.WriteErrorAsync(http.Response, InternalError, "Bad Gateway: the upstream server did not respond.", 502, cancellationToken);
                break;
            case FaultKind.ServiceUnavailable:
                await JsonResponse.WriteErrorAsync(http.Response, InternalError, "The service is temporarily unavailable. Please try again later.", 503, cancellationToken);
                break;
            case FaultKind.TooManyRequests:
                var seconds = Math.Max(1, (long)Math.Ceiling(rule.RetryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.RetryAfter = TimeSpan.FromSeconds(seconds);
                await JsonResponse.WriteErrorAsync(http.Response, ErrorCodes.RequestLimitExceeded,
                    "Number of requests exceeded the limit of 6000 over time window of 300 seconds.", 429, cancellationToken);
                break;
            case FaultKind.ExpiredToken:
                await JsonResponse.WriteErrorAsync(http.Response, ErrorCodes.ExpiredVersionStamp, ErrorCodes.ExpiredVersionStampMessage, 400, cancellationToken);
                break;
            case FaultKind.ExpiredTokenServerError:
                await JsonResponse.WriteErrorAsync(http.Response, ErrorCodes.ExpiredVersionStamp, ErrorCodes.ExpiredVersionStampMessage, 500, cancellationToken);
                break;
            case FaultKind.NextLinkBadRequest:
                await JsonResponse.WriteErrorAsync(http.Response, ErrorCodes.InvalidArgument,
                    "The paging cookie is no longer valid. Please re-run the query.", 400, cancellationToken);
                break;
            case FaultKind.SlowResponse:
                await Task.Delay(rule.Delay, time, cancellationToken);
                await next(http);
                break;
            case FaultKind.ConnectionReset or FaultKind.TruncatedJson:
                await PartialBodyAsync(http, rule, abort: rule.Kind == FaultKind.ConnectionReset);
                break;
        }
    }

    /// <summary>Runs the real request into a buffer, then sends only part of the body.</summary>
    private async Task PartialBodyAsync(HttpContext http, FaultRule rule, bool abort)
    {
        var original = http.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        var buffering = new StreamResponseBodyFeature(buffer);
        http.Features.Set<IHttpResponseBodyFeature>(buffering);
        try
        {
            await next(http);
            await buffering.CompleteAsync();
        }
        finally
        {
            http.Features.Set(original);
        }

        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var sent = (int)Math.Clamp(body.Length * rule.BodyFraction, 1, Math.Max(1, body.Length - 1));
        http.Response.Headers.ContentLength = null;
        await original.Writer.WriteAsync(body[..Math.Min(sent, body.Length)], http.RequestAborted);
        await original.Writer.FlushAsync(http.RequestAborted);
        if (abort)
        {
            http.Abort();
        }
    }
}
