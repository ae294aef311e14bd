using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportingSync.Hints;

/// <summary>
/// Receives Dataverse messages from a Service Bus queue or topic subscription with the SDK's
/// <see cref="ServiceBusProcessor"/>: peek-lock, settled by <see cref="ServiceBusHintHandler"/> (never auto-completed),
/// locks renewed while a message is in hand, reconnection and retries the SDK's own. Errors are logged and the
/// processor carries on: hints are an optimisation, and polling goes on regardless, so nothing here stops the host.
/// </summary>
internal sealed class ServiceBusHintListener : IHostedService, IAsyncDisposable
{
    private readonly ServiceBusHintOptions _options;
    private readonly ILogger _log;
    private readonly ServiceBusClient _client;
    private readonly ServiceBusProcessor _processor;
    private readonly ServiceBusHintHandler _handler;

    public ServiceBusHintListener(IOptions<HintOptions> options, HintSink sink, ILogger<ServiceBusHintListener> log)
        : this(options.Value.ServiceBus, sink, log, credential: null)
    {
    }

    /// <param name="credential">For <see cref="ServiceBusHintOptions.FullyQualifiedNamespace"/>; default <see cref="DefaultAzureCredential"/>.</param>
    internal ServiceBusHintListener(ServiceBusHintOptions options, HintSink sink, ILogger log, TokenCredential? credential)
    {
        _options = options;
        _log = log;
        _handler = new ServiceBusHintHandler(sink, options.MaxDeliveryCount, log);
        (_client, _processor) = Create(options, credential);
        _processor.ProcessMessageAsync += _handler.HandleAsync;
        _processor.ProcessErrorAsync += OnErrorAsync;
    }

    /// <summary>The processor as configured (tests read its settings; nothing connects until it starts).</summary>
    internal ServiceBusProcessor Processor => _processor;

    internal ServiceBusClient Client => _client;

    /// <summary>The client and processor for validated options. Creating them connects to nothing.</summary>
    internal static (ServiceBusClient Client, ServiceBusProcessor Processor) Create(ServiceBusHintOptions options, TokenCredential? credential)
    {
        var clientOptions = new ServiceBusClientOptions { TransportType = options.TransportType };
        string? pathInConnectionString = null;
        var client = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new ServiceBusClient(options.FullyQualifiedNamespace!.Trim(), credential ?? new DefaultAzureCredential(), clientOptions)
            : new ServiceBusClient(options.ConnectionString, clientOptions);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            ServiceBusEntity.ParseConnectionString(options.ConnectionString, out pathInConnectionString);
        }

        var path = string.IsNullOrWhiteSpace(options.EntityPath) ? pathInConnectionString : options.EntityPath;
        if (!ServiceBusEntity.TryParse(path, out var entity))
        {
            throw new InvalidOperationException($"{HintOptions.SectionName}:ServiceBus:EntityPath is not valid; start-up validation should have said so.");
        }

        var processorOptions = new ServiceBusProcessorOptions
        {
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            AutoCompleteMessages = false,
            MaxAutoLockRenewalDuration = options.MaxAutoLockRenewalDuration,
            MaxConcurrentCalls = options.MaxConcurrentCalls,
        };
        var processor = entity.Subscription is null
            ? client.CreateProcessor(entity.QueueOrTopic, processorOptions)
            : client.CreateProcessor(entity.QueueOrTopic, entity.Subscription, processorOptions);
        return (client, processor);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        HintLog.ListenerStarted(_log, _processor.FullyQualifiedNamespace, _processor.EntityPath, _options.MaxConcurrentCalls,
            string.IsNullOrWhiteSpace(_options.ConnectionString) ? "Entra" : "SAS", _options.TransportType.ToString());

        // Starts the receive loop and returns; connecting happens in the background and its failures arrive as errors.
        await _processor.StartProcessingAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Messages in hand are settled or their locks simply expire: either way they are delivered again later.
        await _processor.StopProcessingAsync(cancellationToken).ConfigureAwait(false);
        HintLog.ListenerStopped(_log);
    }

    private Task OnErrorAsync(ProcessErrorEventArgs args)
    {
        var reason = args.Exception is ServiceBusException bus ? bus.Reason.ToString() : args.Exception.GetType().Name;
        HintLog.ReceiveFailed(_log, args.ErrorSource.ToString(), reason, Redact(args.Exception.Message));
        return Task.CompletedTask;
    }

    /// <summary>The SDK's messages name the namespace and entity, not the key; strip the configured secret anyway.</summary>
    private string Redact(string message)
    {
        if (string.IsNullOrEmpty(_options.ConnectionString))
        {
            return message;
        }

        var redacted = message.Replace(_options.ConnectionString, "***", StringComparison.Ordinal);
        var key = ServiceBusConnectionStringProperties.Parse(_options.ConnectionString).SharedAccessKey;
        return string.IsNullOrEmpty(key) ? redacted : redacted.Replace(key, "***", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _processor.DisposeAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
    }
}
