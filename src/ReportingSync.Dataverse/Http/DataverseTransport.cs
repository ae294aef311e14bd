using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// Sends GETs to Dataverse through the <see cref="RequestBudget"/> (requests per second, streaming first), the
/// <see cref="ServiceProtectionGate"/> (requests in flight, Retry-After) and a Polly pipeline, reads each answer whole
/// into a pooled buffer and parses it inside the retried operation, so a truncated or garbled body is retried like a
/// dropped connection. Every attempt spends a token of the budget, since Dataverse counts every request. Two retry
/// budgets, nested:
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
internal sealed partial class DataverseTransport : IDisposable
{
    private static readonly ResiliencePropertyKey<string> EntityKey = new("reportingsync.entity");

    private readonly HttpClient _http;
    private readonly IAccessTokenProvider _tokens;
    private readonly ServiceProtectionGate _gate;
    private readonly RequestBudget _budget;
    private readonly RecentRequests _recent;
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
        RequestBudget budget,
        RecentRequests recent,
        DataverseMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        var url = new Uri(options.Url!, UriKind.Absolute);
        OrganisationUrl = new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
        ApiBase = OrganisationUrl + "api/data/" + options.ApiVersion + "/";
        // Scheme, host and port: enough for a reader to find the endpoint, and never a path or query with secrets.
        Host = url.GetLeftPart(UriPartial.Authority);
        PageSize = options.PageSize;
        _http = DataverseHttp.CreateClient(handler);
        _tokens = tokens;
        _gate = gate;
        _budget = budget;
        _recent = recent;
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

    public RequestBudget Budget => _budget;

    public RecentRequests Recent => _recent;

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
        // The budget, then the access token, then the gate: nothing slow may sit between the gate's last pause check and
        // the send, and waiting for the budget must not hold one of the gate's slots.
        await _budget.EnterAsync(attempt.Priority, cancellationToken).ConfigureAwait(false);
        var authorization = await _tokens.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        using var answer = await ExchangeAsync(attempt, authorization, cancellationToken).ConfigureAwait(false);

        // The slot is free again: parsing is CPU work and must not hold back other requests.
        return answer.Status is >= 200 and < 300 ? attempt.Parse(answer.Body.Sequence) : throw Failure(attempt.Request, answer);
    }

    /// <summary>One send and its whole body, holding a gate slot for exactly that long.</summary>
    private async Task<Answer> ExchangeAsync<T>(Attempt<T> attempt, string? authorization, CancellationToken cancellationToken)
    {
        var request = attempt.Request;
        using var lease = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        attempt.Attempts++;
        _recent.Sent();
        int? status = null;
        using var timeout = new CancellationTokenSource(_requestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var message = CreateMessage(request, authorization);
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            status = (int)response.StatusCode;

            // Before the body is read: a 429 must pause every other request at once.
            var signals = Observe(response);
            var body = await ResponseBody.ReadAsync(response.Content, linked.Token).ConfigureAwait(false);
            return new Answer(status.Value, response.ReasonPhrase, signals, body);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RequestTimeoutException(_requestTimeout);
        }
        finally
        {
            _metrics.Request(request.Entity, status);
        }
    }

    /// <summary>Feeds the gate: successes widen the window (and carry the dop hint), 429s pause everyone.</summary>
    private Signals Observe(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            _recent.Answered();
            OnSuccess(ProtectionHeaders.ReadDopHint(response.Headers));
            return default;
        }

        var status = (int)response.StatusCode;
        var retryAfter = status is 429 or 503 or 504 ? ProtectionHeaders.ReadRetryAfter(response.Headers, _time.GetUtcNow()) : null;
        if (status != (int)HttpStatusCode.TooManyRequests)
        {
            return new Signals(retryAfter, TimeSpan.Zero, TimeSpan.Zero);
        }

        var (pause, extension) = _gate.OnThrottled(retryAfter);
        return new Signals(retryAfter, pause, extension);
    }

    /// <summary>What an error answer means: a retry (throttle or fault) or a final Core exception.</summary>
    private Exception Failure(DataverseRequest request, Answer answer)
    {
        var error = DataverseError.Parse(answer.Body.ToContiguous());
        var description = error.Describe(answer.Status, answer.Reason);

        // The code decides, not the status: Dataverse has sent the expired-token code with 400 and with 500, and a 500
        // retried as a fault would fail the same way until the retries run out, and then forever, instead of re-seeding.
        if (error.HasCode(ChangeTokenExpiredException.ErrorCode))
        {
            return ErrorMapping.ToException(request, answer.Status, answer.Reason, error, Host);
        }

        switch (answer.Status)
        {
            case (int)HttpStatusCode.TooManyRequests:
                _metrics.Throttled(request.Entity, answer.Signals.Extension);
                Log.Throttled(
                    _logger, request.Entity, error.Code, answer.Signals.Pause.TotalSeconds,
                    answer.Signals.RetryAfter is null ? "no Retry-After, back-off" : "Retry-After");
                return new ThrottledException(description, answer.Signals.Pause);
            case 408 or 500 or 502 or 503 or 504:
                return new TransientHttpException(answer.Status, description, answer.Signals.RetryAfter);
            case (int)HttpStatusCode.Unauthorized:
                // Tokens can be revoked or expire early: drop it and retry with a fresh one, then give up like any fault.
                _tokens.Invalidate();
                return new TransientHttpException(answer.Status, description, null);
            default:
                return ErrorMapping.ToException(request, answer.Status, answer.Reason, error, Host);
        }
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

    public void Dispose() => _http.Dispose();

    /// <summary>Service-protection facts of one answer: Retry-After, and for a 429 the pause the gate imposed.</summary>
    private readonly record struct Signals(TimeSpan? RetryAfter, TimeSpan Pause, TimeSpan Extension);

    /// <summary>A complete answer; owns the pooled body.</summary>
    private sealed class Answer(int status, string? reason, Signals signals, ResponseBody body) : IDisposable
    {
        public int Status { get; } = status;
        public string? Reason { get; } = reason;
        public Signals Signals { get; } = signals;
        public ResponseBody Body { get; } = body;

        public void Dispose() => Body.Dispose();
    }

    /// <summary>State of one logical request across its attempts.</summary>
    private sealed class Attempt<T>(DataverseTransport transport, DataverseRequest request, BodyParser<T> parse)
    {
        public DataverseTransport Transport { get; } = transport;
        public DataverseRequest Request { get; } = request;

        /// <summary>Taken once, in the caller's flow: retries keep the priority the request started with.</summary>
        public SourcePriority Priority { get; } = request.EffectivePriority;
        public BodyParser<T> Parse { get; } = parse;
        public int Attempts { get; set; }
    }
}
