using System.Globalization;
using Microsoft.AspNetCore.Http;
using ReportingSync.DataverseSimulator.OData;
using ReportingSync.DataverseSimulator.Requests;

namespace ReportingSync.DataverseSimulator.Protection;

/// <summary>Answers 429 with Retry-After when a Web API request exceeds the configured limits.</summary>
internal sealed class ServiceProtectionMiddleware(RequestDelegate next, ServiceProtection protection)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var context = http.Features.Get<RequestContext>();
        if (context is null || context.Kind is RequestKind.Admin or RequestKind.Other)
        {
            await next(http);
            return;
        }

        var authorization = http.Request.Headers.Authorization;
        using var admission = protection.TryEnter(authorization.Count == 0 ? null : authorization.ToString());
        if (!admission.Admitted)
        {
            var seconds = (long)admission.RetryAfter!.Value.TotalSeconds;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            context.RetryAfter = admission.RetryAfter;
            await JsonResponse.WriteErrorAsync(http.Response, admission.Code!, admission.Message!, StatusCodes.Status429TooManyRequests, http.RequestAborted);
            return;
        }

        await next(http);
    }
}
