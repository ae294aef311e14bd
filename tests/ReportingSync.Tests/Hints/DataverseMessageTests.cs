using System.Net.Http.Headers;
using System.Text;
using ReportingSync.Hints;

namespace ReportingSync.Tests.Hints;

public sealed class DataverseMessageTests
{
    [Fact]
    public void The_table_comes_from_the_top_level_PrimaryEntityName_of_a_RemoteExecutionContext()
    {
        var body = """
            {"BusinessUnitId":"00000000-0000-0000-0000-000000000000","Depth":1,"InputParameters":[{"key":"Target","value":{"LogicalName":"account"}}],
             "MessageName":"Update","ParentContext":{"PrimaryEntityName":"account","MessageName":"Update"},"PrimaryEntityId":"8c9f3c4e-0000-0000-0000-000000000001","PrimaryEntityName":"contact","Stage":40}
            """;
        DataverseMessage.EntityFromBody(Encoding.UTF8.GetBytes(body)).Should().Be("contact");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"MessageName":"Update"}""")]
    [InlineData("""{"PrimaryEntityName":"contact; drop table x"}""")]
    public void Bodies_without_a_usable_name_give_none(string body) =>
        DataverseMessage.EntityFromBody(Encoding.UTF8.GetBytes(body)).Should().BeNull();

    [Theory]
    [InlineData("contact", "contact")]
    [InlineData("\"dfeta_induction\"", "dfeta_induction")]
    [InlineData(" Contact ", "contact")]
    [InlineData("a/b", null)]
    [InlineData("", null)]
    public void Names_from_headers_and_properties_are_cleaned(string raw, string? expected) =>
        DataverseMessage.Clean(raw).Should().Be(expected);

    [Fact]
    public void BrokerProperties_give_the_message_id_lock_token_and_sequence_number()
    {
        var (id, lockToken, sequence) = ServiceBusRestClient.ParseBrokerProperties(
            """{"DeliveryCount":1,"EnqueuedSequenceNumber":0,"LockToken":"6f0b3c2c-1a4b-4a3e-9d55-1f2d3c4b5a69","LockedUntilUtc":"Fri, 01 Mar 2025 12:00:30 GMT","MessageId":"31907572164743c38741631acd554d6f","SequenceNumber":5,"State":"Active"}""");
        id.Should().Be("31907572164743c38741631acd554d6f");
        lockToken.Should().Be("6f0b3c2c-1a4b-4a3e-9d55-1f2d3c4b5a69");
        sequence.Should().Be(5);
    }

    [Fact]
    public void The_EntityLogicalName_property_is_found_URL_encoded_as_a_header()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation(Uri.EscapeDataString(DataverseMessage.EntityProperty), "\"dfeta_qtsregistration\"");
        ServiceBusRestClient.EntityFromProperties(response.Headers).Should().Be("dfeta_qtsregistration");
    }

    [Fact]
    public void Queue_and_subscription_addresses_follow_the_REST_API()
    {
        var queue = ServiceBusAddress.Create("sb://contoso.servicebus.windows.net/", "dataverse");
        queue.Entity.ToString().Should().Be("https://contoso.servicebus.windows.net/dataverse");
        queue.Head(TimeSpan.FromSeconds(30)).ToString().Should().Be("https://contoso.servicebus.windows.net/dataverse/messages/head?timeout=30");
        queue.Lock("abc", "6f0b3c2c-1a4b-4a3e-9d55-1f2d3c4b5a69").ToString()
            .Should().Be("https://contoso.servicebus.windows.net/dataverse/messages/abc/6f0b3c2c-1a4b-4a3e-9d55-1f2d3c4b5a69");

        var subscription = ServiceBusAddress.Create("https://contoso.servicebus.windows.net", "changes/subscriptions/reporting");
        subscription.Head(TimeSpan.FromSeconds(5)).ToString()
            .Should().Be("https://contoso.servicebus.windows.net/changes/subscriptions/reporting/messages/head?timeout=5");
    }
}
