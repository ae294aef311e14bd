using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ReportingSync.DataverseSimulator.Requests;

/// <summary>
/// First in the pipeline: notes arrival (simulator clock) and the raw request target, classifies the request, and
/// logs it when the response is done, whatever later middleware did to it.
/// </summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = time.GetTimestamp();
        var arrivedAt = time.GetUtcNow();
        var sequence = log.NextSequence();
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
        var prefer = http.Request.Headers["Prefer"].Count == 0 ? null : http.Request.Headers["Prefer"].ToString();
        var (kind, isNextLink, entitySet) = RequestClassifier.Classify(rawTarget, prefer);
        var context = new RequestContext
        {
            Kind = kind,
            IsNextLink = isNextLink,
            EntitySet = entitySet,
            ArrivedAt = arrivedAt,
            RawTarget = rawTarget,
        };
        http.Features.Set(context);
        try
        {
            await next(http);
        }
        finally
        {
            log.Add(new RequestLogEntry
            {
                Sequence = sequence,
                ArrivedAt = arrivedAt,
                Method = http.Request.Method,
                RawTarget = rawTarget,
                Prefer = prefer,
                HasAuthorization = http.Request.Headers.Authorization.Count > 0,
                Kind = kind,
                IsNextLink = isNextLink,
                EntitySet = entitySet,
                StatusCode = http.Response.StatusCode,
                RowsReturned = context.RowsReturned,
                RetryAfter = context.RetryAfter,
                Fault = context.Fault,
                Duration = time.GetElapsedTime(started),
                CompletedAt = time.GetUtcNow(),
            });
        }
    }
}
