using Azure.Messaging.ServiceBus;
using ReportingSync.Hints;

namespace ReportingSync.Tests.Hints;

public sealed class HintOptionsValidatorTests
{
    private const string Sas = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=TopSecretSasKey=";

    private static IEnumerable<string> Failures(HintOptions options) =>
        new HintOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Hints_off_need_nothing_else() =>
        Failures(new HintOptions { Enabled = false, CoalesceWindow = TimeSpan.FromHours(1) }).Should().BeEmpty();

    [Fact]
    public void Enabled_without_a_source_names_every_key_that_would_do() =>
        Failures(new HintOptions { Enabled = true }).Should().Equal(
            "ReportingSync:Hints:Enabled is true but neither ReportingSync:Hints:ServiceBus:ConnectionString, " +
            "ReportingSync:Hints:ServiceBus:FullyQualifiedNamespace nor ReportingSync:Hints:Webhook:Key is set.");

    [Fact]
    public void Every_bad_key_is_named_and_no_secret_is_shown()
    {
        var failures = Failures(new HintOptions
        {
            Enabled = true,
            CoalesceWindow = TimeSpan.FromMinutes(1),
            ServiceBus = new ServiceBusHintOptions
            {
                ConnectionString = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKey=TopSecretSasKey=",
                EntityPath = "a/b",
                TransportType = (ServiceBusTransportType)7,
                MaxConcurrentCalls = 0,
                MaxAutoLockRenewalDuration = TimeSpan.FromSeconds(-1),
                MaxDeliveryCount = 0,
            },
            Webhook = new WebhookHintOptions { Key = "short", HeaderName = "bad header" },
        }).ToList();

        failures.Should().Equal(
            "ReportingSync:Hints:CoalesceWindow must be between 00:00:00 and 00:00:30 (was 00:01:00).",
            "ReportingSync:Hints:ServiceBus:ConnectionString needs SharedAccessKeyName and SharedAccessKey (or SharedAccessSignature); for Entra use FullyQualifiedNamespace instead.",
            "ReportingSync:Hints:ServiceBus:EntityPath 'a/b' must be a queue name or {topic}/subscriptions/{subscription}.",
            "ReportingSync:Hints:ServiceBus:TransportType must be AmqpTcp or AmqpWebSockets (was 7).",
            "ReportingSync:Hints:ServiceBus:MaxConcurrentCalls must be between 1 and 32 (was 0).",
            "ReportingSync:Hints:ServiceBus:MaxAutoLockRenewalDuration cannot be negative (was -00:00:01).",
            "ReportingSync:Hints:ServiceBus:MaxDeliveryCount must be between 1 and 100 (was 0).",
            "ReportingSync:Hints:Webhook:Key must be at least 16 characters.",
            "ReportingSync:Hints:Webhook:HeaderName 'bad header' is not a valid HTTP header name.");
        string.Join("\n", failures).Should().NotContain("TopSecretSasKey").And.NotContain("short'");
    }

    [Theory]
    [InlineData("not a connection string", "ReportingSync:Hints:ServiceBus:ConnectionString is not a Service Bus connection string (Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…).")]
    [InlineData("SharedAccessKeyName=listen;SharedAccessKey=TopSecretSasKey=", "ReportingSync:Hints:ServiceBus:ConnectionString has no Endpoint (sb://<namespace>.servicebus.windows.net/).")]
    public void A_connection_string_the_SDK_cannot_read_is_refused_without_echoing_it(string connectionString, string expected)
    {
        var failures = Failures(new HintOptions { Enabled = true, ServiceBus = new ServiceBusHintOptions { ConnectionString = connectionString, EntityPath = "dataverse" } }).ToList();

        failures.Should().Equal(expected);
        failures.Single().Should().NotContain("TopSecretSasKey");
    }

    [Fact]
    public void Connection_string_and_namespace_together_are_refused() =>
        Failures(new HintOptions
        {
            Enabled = true,
            ServiceBus = new ServiceBusHintOptions { ConnectionString = Sas, FullyQualifiedNamespace = "contoso.servicebus.windows.net", EntityPath = "dataverse" },
        }).Should().Equal("ReportingSync:Hints:ServiceBus: set either ConnectionString (SAS) or FullyQualifiedNamespace (Entra), not both.");

    [Fact]
    public void A_namespace_must_be_a_host_name() =>
        Failures(new HintOptions
        {
            Enabled = true,
            ServiceBus = new ServiceBusHintOptions { FullyQualifiedNamespace = "https://contoso.servicebus.windows.net", EntityPath = "dataverse" },
        }).Should().Equal("ReportingSync:Hints:ServiceBus:FullyQualifiedNamespace must be a host name such as myns.servicebus.windows.net (was 'https://contoso.servicebus.windows.net').");

    [Fact]
    public void The_entity_path_may_come_from_the_connection_string() =>
        Failures(new HintOptions { Enabled = true, ServiceBus = new ServiceBusHintOptions { ConnectionString = Sas + ";EntityPath=dataverse" } })
            .Should().BeEmpty();

    [Fact]
    public void An_entity_path_that_contradicts_the_connection_string_is_refused() =>
        Failures(new HintOptions { Enabled = true, ServiceBus = new ServiceBusHintOptions { ConnectionString = Sas + ";EntityPath=dataverse", EntityPath = "other" } })
            .Should().Equal("ReportingSync:Hints:ServiceBus:EntityPath 'other' differs from the EntityPath 'dataverse' in ReportingSync:Hints:ServiceBus:ConnectionString; leave one out.");

    [Fact]
    public void Without_any_entity_path_the_key_is_named() =>
        Failures(new HintOptions { Enabled = true, ServiceBus = new ServiceBusHintOptions { ConnectionString = Sas } }).Should().Equal(
            "ReportingSync:Hints:ServiceBus:EntityPath is required (unless the connection string has EntityPath): a queue name, or {topic}/subscriptions/{subscription}.");

    [Fact]
    public void A_topic_subscription_with_Entra_over_WebSockets_is_valid() =>
        Failures(new HintOptions
        {
            Enabled = true,
            ServiceBus = new ServiceBusHintOptions
            {
                FullyQualifiedNamespace = "ns.servicebus.windows.net", EntityPath = "changes/subscriptions/reporting", TransportType = ServiceBusTransportType.AmqpWebSockets,
            },
        }).Should().BeEmpty();
}
