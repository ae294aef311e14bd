using System.Text;
using Azure.Core;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReportingSync.Hints;

namespace ReportingSync.Tests.Hints;

/// <summary>
/// The Service Bus path without a broker (none can run here): messages made by the SDK's
/// <see cref="ServiceBusModelFactory"/>, handed to the handler through the SDK's own <see cref="ProcessMessageEventArgs"/>,
/// settled on a receiver that records what the processor would have done with them.
/// </summary>
public sealed class ServiceBusHintHandlerTests
{
    private const int MaxDeliveryCount = 3;
    private static readonly HashSet<string> Configured = ["contact", "dfeta_induction"];

    private readonly List<string> _woken = [];
    private readonly HintSink _sink;
    private readonly RecordingReceiver _receiver = new();

    public ServiceBusHintHandlerTests()
    {
        _sink = new HintSink(entity =>
        {
            if (!Configured.Contains(entity))
            {
                return false;
            }

            _woken.Add(entity);
            return true;
        }, TimeSpan.Zero, new FakeTimeProvider(), NullLogger<HintSink>.Instance);
    }

    [Fact]
    public async Task A_JSON_RemoteExecutionContext_wakes_its_table_and_is_completed()
    {
        var message = Message("""{"MessageName":"Update","PrimaryEntityName":"dfeta_induction","ParentContext":{"PrimaryEntityName":"contact"}}""");

        await HandleAsync(message);

        _woken.Should().Equal("dfeta_induction");
        _receiver.Settled.Should().Equal(("complete", message.MessageId, null));
    }

    [Fact]
    public async Task The_EntityLogicalName_property_names_the_table_whatever_the_body_format()
    {
        // Dataverse's .NETBinary and XML formats are not JSON; the property it always sets still names the table.
        var message = Message("<RemoteExecutionContext/>", new Dictionary<string, object> { [DataverseMessage.EntityProperty] = "Contact" });

        await HandleAsync(message);

        _woken.Should().Equal("contact");
        _receiver.Settled.Should().Equal(("complete", message.MessageId, null));
    }

    [Fact]
    public async Task A_message_for_a_table_that_is_not_configured_is_completed_without_a_wake_up()
    {
        var message = Message("""{"PrimaryEntityName":"dfeta_sanction"}""");

        await HandleAsync(message);

        _woken.Should().BeEmpty();
        _sink.Ignored.Should().Be(1);
        _receiver.Settled.Should().Equal(("complete", message.MessageId, null));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"MessageName":"Update"}""")]
    [InlineData("""{"PrimaryEntityName":"contact; drop table x"}""")]
    [InlineData("")]
    public async Task A_body_that_names_no_table_is_abandoned_then_dead_lettered_at_the_configured_delivery_count(string body)
    {
        var first = Message(body, deliveryCount: 1);
        var last = Message(body, deliveryCount: MaxDeliveryCount);

        await HandleAsync(first);
        await HandleAsync(last);

        _woken.Should().BeEmpty();
        _receiver.Settled.Should().Equal(
            ("abandon", first.MessageId, null),
            ("dead-letter", last.MessageId, ServiceBusHintHandler.DeadLetterReason));
    }

    [Fact]
    public void The_processor_peek_locks_settles_itself_renews_locks_and_uses_WebSockets_when_asked()
    {
        var options = new ServiceBusHintOptions
        {
            ConnectionString = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0",
            EntityPath = "changes/subscriptions/reporting",
            TransportType = ServiceBusTransportType.AmqpWebSockets,
            MaxConcurrentCalls = 4,
            MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(2),
        };

        var (client, processor) = ServiceBusHintListener.Create(options, credential: null);

        client.FullyQualifiedNamespace.Should().Be("contoso.servicebus.windows.net");
        client.TransportType.Should().Be(ServiceBusTransportType.AmqpWebSockets);
        processor.EntityPath.Should().Be("changes/Subscriptions/reporting");
        processor.ReceiveMode.Should().Be(ServiceBusReceiveMode.PeekLock);
        processor.AutoCompleteMessages.Should().BeFalse("the handler settles: dead-lettering a poison message needs that");
        processor.MaxAutoLockRenewalDuration.Should().Be(TimeSpan.FromMinutes(2));
        processor.MaxConcurrentCalls.Should().Be(4);
    }

    [Fact]
    public void With_a_namespace_the_processor_authenticates_with_the_given_credential_over_AMQP()
    {
        var options = new ServiceBusHintOptions { FullyQualifiedNamespace = "contoso.servicebus.windows.net", EntityPath = "dataverse" };

        var (client, processor) = ServiceBusHintListener.Create(options, new NoCredential());

        client.FullyQualifiedNamespace.Should().Be("contoso.servicebus.windows.net");
        client.TransportType.Should().Be(ServiceBusTransportType.AmqpTcp);
        processor.EntityPath.Should().Be("dataverse");
    }

    private Task HandleAsync(ServiceBusReceivedMessage message) =>
        new ServiceBusHintHandler(_sink, MaxDeliveryCount, NullLogger.Instance).HandleAsync(new ProcessMessageEventArgs(message, _receiver, CancellationToken.None));

    private static ServiceBusReceivedMessage Message(string body, IDictionary<string, object>? properties = null, int deliveryCount = 1) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: new BinaryData(Encoding.UTF8.GetBytes(body)),
            messageId: Guid.NewGuid().ToString("N"),
            properties: properties ?? new Dictionary<string, object>(),
            lockTokenGuid: Guid.NewGuid(),
            deliveryCount: deliveryCount);

    /// <summary>The SDK's receiver with its settle calls recorded instead of sent (the documented way to test handlers).</summary>
    private sealed class RecordingReceiver : ServiceBusReceiver
    {
        public List<(string Action, string MessageId, string? Reason)> Settled { get; } = [];

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) => Record("complete", message);

        public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
            Record("abandon", message);

        public override Task DeadLetterMessageAsync(
            ServiceBusReceivedMessage message, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default) =>
            Record("dead-letter", message, deadLetterReason);

        public override Task DeadLetterMessageAsync(
            ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify, string? deadLetterReason, string? deadLetterErrorDescription = null,
            CancellationToken cancellationToken = default) =>
            Record("dead-letter", message, deadLetterReason);

        private Task Record(string action, ServiceBusReceivedMessage message, string? reason = null)
        {
            Settled.Add((action, message.MessageId, reason));
            return Task.CompletedTask;
        }
    }

    private sealed class NoCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
