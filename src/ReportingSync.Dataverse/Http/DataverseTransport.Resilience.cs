using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>The retry budgets and what the caller is told when they run out.</summary>
internal sealed partial class DataverseTransport
{
    private static bool IsRetried(Exception ex) =>
        ex is ThrottledException or TransientHttpException or HttpRequestException or IOException or RequestTimeoutException or JsonException;

    private SourceUnavailableException GiveUp(DataverseRequest request, int attempts, Exception last)
    {
        var (what, transient) = last switch
        {
            ThrottledException => ($"it kept throttling (last answer {last.Message}); ReportingSync:Dataverse:MaxThrottleRetries is used up", true),
            TransientHttpException { StatusCode: 401 } => ($"it kept refusing the access token (last answer {last.Message})", false),
            TransientHttpException => ($"it kept failing (last answer {last.Message})", true),
            JsonException => ($"its answers were not complete JSON ({last.Message})", true),
            _ => ($"it could not be reached ({last.Message})", true),
        };
        Log.GivingUp(_logger, request.Entity, attempts, what);
        return new SourceUnavailableException(
            $"Dataverse at {Host} did not answer a request for '{request.Entity}' after {attempts} attempt{(attempts == 1 ? "" : "s")}: {what}.",
            last,
            transient);
    }

    private ResiliencePipeline BuildPipeline(DataverseOptions options)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (options.MaxThrottleRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "throttle",
                ShouldHandle = new PredicateBuilder().Handle<ThrottledException>(),
                MaxRetryAttempts = options.MaxThrottleRetries,
                Delay = TimeSpan.Zero,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                OnRetry = args =>
                {
                    _metrics.Retry(args.Context.Properties.GetValue(EntityKey, "?"), "throttled");
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "faults",
                ShouldHandle = new PredicateBuilder()
                    .Handle<TransientHttpException>()
                    .Handle<HttpRequestException>()
                    .Handle<IOException>()
                    .Handle<RequestTimeoutException>()
                    .Handle<JsonException>(),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is TransientHttpException { RetryAfter: { } suggested }
                        ? (TimeSpan?)(suggested < options.RetryMaxDelay ? suggested : options.RetryMaxDelay)
                        : null),
                OnRetry = args =>
                {
                    var entity = args.Context.Properties.GetValue(EntityKey, "?");
                    var reason = args.Outcome.Exception switch
                    {
                        TransientHttpException http => http.Message,
                        { } ex => $"{ex.GetType().Name}: {ex.Message}",
                        null => "no answer",
                    };
                    _metrics.Retry(entity, args.Outcome.Exception is TransientHttpException t ? "http_" + t.StatusCode : "transport");
                    Log.Retrying(_logger, entity, reason, args.AttemptNumber + 1, options.MaxRetries, args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }
}
