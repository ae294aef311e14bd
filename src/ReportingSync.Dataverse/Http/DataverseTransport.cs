using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// Sends GETs to Dataverse through the <see cref="ServiceProtectionGate"/> and a Polly pipeline, reads each answer
/// whole into a pooled buffer and parses it inside the retried operation, so a truncated or garbled body is retried
/// like a dropped connection. Two retry budgets, nested:
/// <list type="bullet">
/// <item>outer, for HTTP 429: up to <see cref="DataverseOptions.MaxThrottleRetries"/>, with no delay of its own
/// because the gate already holds every request until the Retry-After instant;</item>
/// <item>inner, for faults (connection errors, truncated bodies, timeouts, 408/500/502/503/504, 401 once the token is
/// dropped): up to <see cref="DataverseOptions.MaxRetries"/> with exponential back-off and jitter. A throttle starts
/// this budget afresh, since a 429 says the server is healthy but busy.</item>
/// </list>
/// When a budget is used up the caller gets <see cref="SourceUnavailableException"/> naming the host and the last
/// answer. Other error answers map to Core exceptions at once (<see cref="ErrorMapping"/>).
/// </summary>
internal sealed class DataverseTransport : IDisposable
{
    private static readonly ResiliencePropertyKey<string> EntityKey = new("reportingsync.entity");

    private readonly HttpClient _http;
    private readonly IAccessTokenProvider _tokens;
    private readonly ServiceProtectionGate _gate;
    private readonly DataverseMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _requestTimeout;
    private readonly int _maxConcurrency;
    private int _lastDopHint;

    public DataverseTransport(
        DataverseOptions options,
        HttpMessageHandler handler,
        IAccessTokenProvider tokens,
        ServiceProtectionGate gate,
        DataverseMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        var url = new Uri(options.Url!, UriKind.Absolute);
        OrganisationUrl = new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
        ApiBase = OrganisationUrl + "api/data/" + options.ApiVersion + "/";
        Host = url.Host;
        PageSize = options.PageSize;
        _http = DataverseHttp.CreateClient(handler);
        _tokens = tokens;
        _gate = gate;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _requestTimeout = options.RequestTimeout;
        _maxConcurrency = options.MaxConcurrency;
        _pipeline = BuildPipeline(options);
    }

    /// <summary>Scheme, host and port of the organisation, with a trailing slash.</summary>
    public Uri OrganisationUrl { get; }

    /// <summary><c>{Url}/api/data/{ApiVersion}/</c>.</summary>
    public string ApiBase { get; }

    public string Host { get; }

    public int PageSize { get; }

    public ServiceProtectionGate Gate => _gate;

    public async Task<Sent<T>> SendAsync<T>(DataverseRequest request, BodyParser<T> parse, CancellationToken cancellationToken)
    {
        var attempt = new Attempt<T>(this, request, parse);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(EntityKey, request.Entity);
        try
        {
            var value = await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Transport.AttemptAsync(state, ctx.CancellationToken), context, attempt).ConfigureAwait(false);
            return new Sent<T>(value, attempt.Attempts);
        }
        catch (Exception ex) when (IsRetried(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw GiveUp(request, attempt.Attempts, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<T> AttemptAsync<T>(Attempt<T> attempt, CancellationToken cancellationToken)
    {
        var request = attempt.Request;

        // Token first, then the gate: nothing slow may sit between the gate's last pause check and the send.
        var authorization = await _tokens.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        int status;
        string? reason;
        TimeSpan? retryAfter = null;
        ResponseBody body;
        using (var lease = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            attempt.Attempts++;
            using var timeout = new CancellationTokenSource(_requestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                using var message = CreateMessage(request, authorization);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                    .ConfigureAwait(false);
                status = (int)response.StatusCode;
                reason = response.ReasonPhrase;
                _metrics.Request(request.Entity, status);
                if (status == (int)HttpStatusCode.TooManyRequests)
                {
                    // Pause everyone before anything else, even before reading this body.
                    retryAfter = ProtectionHeaders.ReadRetryAfter(response.Headers, _time.GetUtcNow());
                }
                else if (response.IsSuccessStatusCode)
                {
                    OnSuccess(ProtectionHeaders.ReadDopHint(response.Headers));
                }
                else if (status is 503 or 504)
                {
                    retryAfter = ProtectionHeaders.ReadRetryAfter(response.Headers, _time.GetUtcNow());
                }

                var (pause, extension) = status == (int)HttpStatusCode.TooManyRequests
                    ? _gate.OnThrottled(retryAfter)
                    : default;
                body = await ResponseBody.ReadAsync(response.Content, linked.Token).ConfigureAwait(false);
                if (status == (int)HttpStatusCode.TooManyRequests)
                {
                    using (body)
                    {
                        throw Throttled(request, body, retryAfter, pause, extension);
                    }
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new RequestTimeoutException(_requestTimeout);
            }
            catch (HttpRequestException)
            {
                _metrics.Request(request.Entity, null);
                throw;
            }
        }

        // The slot is free again; parsing is CPU work and must not hold back other requests.
        using (body)
        {
            if (status is >= 200 and < 300)
            {
                return attempt.Parse(body.Span);
            }

            var error = DataverseError.Parse(body.Span);
            if (status is 408 or 500 or 502 or 503 or 504)
            {
                throw new TransientHttpException(status, error.Describe(status, reason), retryAfter);
            }

            if (status == (int)HttpStatusCode.Unauthorized)
            {
                // Tokens can be revoked or expire early; one fresh token per retry, then give up like any fault.
                _tokens.Invalidate();
                throw new TransientHttpException(status, error.Describe(status, reason), null);
            }

            throw ErrorMapping.ToException(request, status, reason, error, Host);
        }
    }

    private ThrottledException Throttled(DataverseRequest request, ResponseBody body, TimeSpan? retryAfter, TimeSpan pause, TimeSpan extension)
    {
        var error = DataverseError.Parse(body.Span);
        _metrics.Throttled(request.Entity, extension);
        Log.Throttled(_logger, request.Entity, error.Code, pause.TotalSeconds, retryAfter is null ? "no Retry-After, back-off" : "Retry-After");
        return new ThrottledException(error.Describe(429, "Too Many Requests"), pause);
    }

    private void OnSuccess(int? dopHint)
    {
        _gate.OnSuccess(dopHint);
        if (dopHint is { } hint && Interlocked.Exchange(ref _lastDopHint, hint) != hint)
        {
            Log.DopHint(_logger, hint, Math.Min(hint, _maxConcurrency), _maxConcurrency);
        }
    }

    private static HttpRequestMessage CreateMessage(DataverseRequest request, string? authorization)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, request.Uri);
        if (authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (request.Prefer is not null)
        {
            message.Headers.TryAddWithoutValidation("Prefer", request.Prefer);
        }

        return message;
    }

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

    public void Dispose() => _http.Dispose();

    /// <summary>State of one logical request across its attempts.</summary>
    private sealed class Attempt<T>(DataverseTransport transport, DataverseRequest request, BodyParser<T> parse)
    {
        public DataverseTransport Transport { get; } = transport;
        public DataverseRequest Request { get; } = request;
        public BodyParser<T> Parse { get; } = parse;
        public int Attempts { get; set; }
    }
}
