using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.Hints;

/// <summary>
/// Sends a Dataverse-shaped notification for every committed change (a webhook POST), with the configured share of hints lost, duplicated or delayed (decided from the simulator seed).
/// Observes the store after its lock is released and never blocks it: notifications go through a channel.
/// </summary>
internal sealed class HintEmitter : IStoreChangeListener, IAsyncDisposable
{
    private readonly SimulatorHintOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Func<string> _organization;
    private readonly Guid _organizationId;
    private readonly Channel<StoreChange> _changes = Channel.CreateUnbounded<StoreChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly SemaphoreSlim _inFlight = new(16);
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private int _changesSeen;
    private int _sent;
    private int _lost;
    private int _duplicated;
    private int _delayed;
    private int _webhookFailures;

    public HintEmitter(SimulatorHintOptions options, int seed, TimeProvider time, ILogger log, Func<string> organization, Guid organizationId)
    {
        _organizationId = organizationId;
        _options = options;
        _time = time;
        _log = log;
        _organization = organization;
        _random = new Random(seed ^ 0x5EED);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Changes observed (one hint decision each).</summary>
    public int ChangesSeen => Volatile.Read(ref _changesSeen);

    /// <summary>Notifications delivered (a duplicate counts twice; a webhook call counts when it was answered).</summary>
    public int Sent => Volatile.Read(ref _sent);

    public int Lost => Volatile.Read(ref _lost);

    public int Duplicated => Volatile.Read(ref _duplicated);

    public int Delayed => Volatile.Read(ref _delayed);

    public int WebhookFailures => Volatile.Read(ref _webhookFailures);

    /// <summary>Status of the last webhook answer (tests: 202, or 401 for a wrong key).</summary>
    public int? LastWebhookStatus { get; private set; }

    public void OnChanged(StoreChange change) => _changes.Writer.TryWrite(change);

    /// <summary>Sends one notification as if <paramref name="change"/> had happened (tests: hints for quiet or unknown tables).</summary>
    public Task EmitAsync(StoreChange change) => SendAsync(change, _stop.Token);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in _changes.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _changesSeen);
                bool lose, duplicate, delay;
                lock (_gate)
                {
                    lose = _random.NextDouble() * 100 < _options.LossPercent;
                    duplicate = _random.NextDouble() * 100 < _options.DuplicatePercent;
                    delay = _random.NextDouble() * 100 < _options.DelayPercent;
                }

                if (lose)
                {
                    Interlocked.Increment(ref _lost);
                    continue;
                }

                if (duplicate)
                {
                    Interlocked.Increment(ref _duplicated);
                }

                if (delay)
                {
                    Interlocked.Increment(ref _delayed);
                }

                var copies = duplicate ? 2 : 1;
                for (var i = 0; i < copies; i++)
                {
                    await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            if (delay)
                            {
                                await Task.Delay(_options.Delay, _time, cancellationToken).ConfigureAwait(false);
                            }

                            await SendAsync(change, cancellationToken).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            // Simulator stopping.
                        }
                        finally
                        {
                            _inFlight.Release();
                        }
                    }, CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Simulator stopping.
        }
    }

    private async Task SendAsync(StoreChange change, CancellationToken cancellationToken)
    {
        var correlation = Guid.NewGuid();
        var body = RemoteExecutionContextJson.Write(change, _organization(), _organizationId, correlation);
        var requestName = RemoteExecutionContextJson.RequestName(change.Kind);
        if (_options.WebhookUrl is { } url)
        {
            var target = _options.WebhookKey is { } key ? new Uri(url + (url.Query.Length > 0 ? "&" : "?") + "code=" + Uri.EscapeDataString(key)) : url;
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add("x-request-id", correlation.ToString());
            request.Headers.Add("x-ms-correlation-request-id", correlation.ToString());
            request.Headers.Add("x-ms-dynamics-organization", _organization());
            request.Headers.Add("x-ms-dynamics-entity-name", change.Entity);
            request.Headers.Add("x-ms-dynamics-request-name", requestName);
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                LastWebhookStatus = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _sent);
                }
                else
                {
                    Interlocked.Increment(ref _webhookFailures);
                }
            }
            catch (HttpRequestException ex)
            {
                // Dataverse retries failed asynchronous steps a few times; the simulator just counts the failure.
                Interlocked.Increment(ref _webhookFailures);
                Log.HintDeliveryFailed(_log, change.Entity, ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
