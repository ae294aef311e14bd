using ReportingSync.Hints;

namespace ReportingSync.Tests.Hints;

public sealed class HintOptionsValidatorTests
{
    private static IEnumerable<string> Failures(HintOptions options) =>
        new HintOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Hints_off_need_nothing_else() =>
        Failures(new HintOptions { Enabled = false, CoalesceWindow = TimeSpan.FromHours(1) }).Should().BeEmpty();

    [Fact]
    public void Enabled_without_a_source_names_both_keys() =>
        Failures(new HintOptions { Enabled = true }).Should().Equal(
            "ReportingSync:Hints:Enabled is true but neither ReportingSync:Hints:ServiceBus:Endpoint nor ReportingSync:Hints:Webhook:Key is set.");

    [Fact]
    public void Every_bad_key_is_named_and_no_secret_is_shown()
    {
        var failures = Failures(new HintOptions
        {
            Enabled = true,
            CoalesceWindow = TimeSpan.FromMinutes(1),
            ServiceBus = new ServiceBusHintOptions { Endpoint = "ftp://nope", SasKey = "TopSecretSasKey", MaxConcurrentReceives = 0 },
            Webhook = new WebhookHintOptions { Key = "short", HeaderName = "bad header" },
        }).ToList();

        failures.Should().BeEquivalentTo(
            "ReportingSync:Hints:CoalesceWindow must be between 00:00:00 and 00:00:30 (was 00:01:00).",
            "ReportingSync:Hints:ServiceBus:Endpoint must be an absolute https:// or sb:// URL of the namespace, e.g. https://myns.servicebus.windows.net (was 'ftp://nope').",
            "ReportingSync:Hints:ServiceBus:EntityPath is required: a queue name, or {topic}/subscriptions/{subscription}.",
            "ReportingSync:Hints:ServiceBus:SasKeyName and ReportingSync:Hints:ServiceBus:SasKey are both required unless ReportingSync:Hints:ServiceBus:UseEntraToken is true.",
            "ReportingSync:Hints:ServiceBus:MaxConcurrentReceives must be between 1 and 32 (was 0).",
            "ReportingSync:Hints:Webhook:Key must be at least 16 characters.",
            "ReportingSync:Hints:Webhook:HeaderName 'bad header' is not a valid HTTP header name.");
        string.Join("\n", failures).Should().NotContain("TopSecretSasKey").And.NotContain("short'");
    }

    [Fact]
    public void A_topic_subscription_with_an_Entra_token_is_valid() =>
        Failures(new HintOptions
        {
            Enabled = true,
            ServiceBus = new ServiceBusHintOptions { Endpoint = "https://ns.servicebus.windows.net", EntityPath = "changes/subscriptions/reporting", UseEntraToken = true },
        }).Should().BeEmpty();

    [Theory]
    [InlineData(2, 10, 200)]
    [InlineData(7, 10, 700)]
    [InlineData(55, 10, 5500)]
    [InlineData(7, 100, 200)]
    public void The_window_stretches_to_keep_hinted_reads_inside_the_request_budget(int entities, double budget, int expectedMs)
    {
        var sync = new ReportingSync.Engine.SyncOptions { RequestBudgetPerSecond = budget };
        for (var i = 0; i < entities; i++)
        {
            sync.Entities.Add(new ReportingSync.Engine.EntityOptions { Name = $"e{i}" });
        }

        HintServiceCollectionExtensions.EffectiveWindow(new HintOptions(), sync).Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }
}
