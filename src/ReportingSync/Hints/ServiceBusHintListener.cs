using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportingSync.Hints;

/// <summary>
/// Receives Dataverse messages from a Service Bus queue or topic subscription with
/// <see cref="ServiceBusHintOptions.MaxConcurrentReceives"/> long-polling receivers. Each message is peek-locked, its
/// table queued as a hint, then completed; on shutdown a message in hand is unlocked for the next receiver. Errors back
/// off exponentially from 1 s up to <see cref="ServiceBusHintOptions.MaxBackoff"/>, forever: hints are an optimisation,
/// and polling carries on regardless.
/// </summary>
internal sealed class ServiceBusHintListener : BackgroundService
{
    private readonly ServiceBusHintOptions _options;
    private readonly HintSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly HttpClient _http;
    private readonly ServiceBusRestClient _client;
    private readonly ServiceBusAddress _address;

    public ServiceBusHintListener(IOptions<HintOptions> options, HintSink sink, TimeProvider time, ILogger<ServiceBusHintListener> log)
    {
        _options = options.Value.ServiceBus;
        _sink = sink;
        _time = time;
        _log = log;
        _address = ServiceBusAddress.Create(_options.Endpoint!, _options.EntityPath!);
        _http = new HttpClient { Timeout = _options.ReceiveTimeout + TimeSpan.FromSeconds(30) };
        _client = new ServiceBusRestClient(_http, _address, new ServiceBusCredential(_options, _address.Entity.ToString(), time));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        HintLog.ListenerStarted(_log, _address.Entity.ToString(), _options.MaxConcurrentReceives, _options.UseEntraToken ? "Entra" : "SAS");
        var receivers = Enumerable.Range(0, _options.MaxConcurrentReceives).Select(_ => ReceiveLoopAsync(stoppingToken)).ToList();
        await Task.WhenAll(receivers).ConfigureAwait(false);
        HintLog.ListenerStopped(_log);
    }

    private async Task ReceiveLoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            ServiceBusMessage? message = null;
            try
            {
                message = await _client.ReceiveAsync(_options.ReceiveTimeout, stoppingToken).ConfigureAwait(false);
                failures = 0;
                if (message is null)
                {
                    continue;
                }

                if (message.EntityName is { } entity)
                {
                    _sink.Offer(entity, "servicebus");
                }
                else
                {
                    HintLog.NoEntity(_log, message.MessageId);
                }

                // The hint is queued: the message has done its job. Were it lost now, the next poll still reads the change.
                var status = await _client.CompleteAsync(message, stoppingToken).ConfigureAwait(false);
                if (status is not null)
                {
                    HintLog.SettleFailed(_log, message.MessageId, status);
                }

                message = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                if (message is not null)
                {
                    await AbandonAsync(message).ConfigureAwait(false);
                }

                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong (network, 401, token, a malformed answer), hints must never stop the host: the
                // polls carry on, and the receiver tries again after a capped backoff.
                failures++;
                var delay = Backoff(failures);
                HintLog.ReceiveFailed(_log, Describe(ex), delay.TotalSeconds, failures);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task AbandonAsync(ServiceBusMessage message)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            var status = await _client.UnlockAsync(message, timeout.Token).ConfigureAwait(false);
            if (status is not null)
            {
                HintLog.SettleFailed(_log, message.MessageId, status);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // The lock expires on its own and the message is delivered again.
            HintLog.SettleFailed(_log, message.MessageId, null);
        }
    }

    internal TimeSpan Backoff(int failures)
    {
        var seconds = Math.Pow(2, Math.Min(failures - 1, 16));
        return TimeSpan.FromSeconds(Math.Min(seconds, _options.MaxBackoff.TotalSeconds));
    }

    /// <summary>Type and status only: an exception message from HttpClient could echo a URL, never a token, but keep it short.</summary>
    private static string Describe(Exception ex) => ex switch
    {
        ServiceBusHintException bus => bus.Message,
        HttpRequestException http => http.StatusCode is { } code ? $"HTTP {(int)code}" : http.HttpRequestError.ToString(),
        TaskCanceledException => "timed out",
        _ => ex.GetType().Name,
    };

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
