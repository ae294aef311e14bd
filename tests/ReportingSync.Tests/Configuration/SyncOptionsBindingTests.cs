using Microsoft.Extensions.Configuration;
using ReportingSync.Configuration;
using ReportingSync.Engine;
using ReportingSync.Model;

namespace ReportingSync.Tests.Configuration;

public sealed class SyncOptionsBindingTests
{
    private static (SyncOptions Options, IReadOnlyList<string> Failures) Bind(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var options = new SyncOptions();
        new SyncOptionsSetup(configuration).Configure(options);
        var result = new SyncOptionsValidator().Validate(null, options);
        return (options, result.Failures?.ToList() ?? []);
    }

    [Fact]
    public void Entities_can_be_plain_names_or_objects()
    {
        var (options, failures) = Bind("""
            { "ReportingSync": { "PollInterval": "00:00:02", "Entities": [ "contact", { "Name": "account", "Exclude": ["description"] } ] } }
            """);

        failures.Should().BeEmpty();
        options.PollInterval.Should().Be(TimeSpan.FromSeconds(2));
        options.Entities.Select(e => e.Name).Should().Equal("contact", "account");
        options.Entities[1].Exclude.Should().Equal("description");
    }

    [Fact]
    public void The_label_view_is_on_unless_an_entity_turns_it_off()
    {
        var (options, failures) = Bind("""
            { "ReportingSync": { "Compatibility": "Des", "Entities": [ "contact", { "Name": "account", "LabelView": false } ] } }
            """);

        failures.Should().BeEmpty();
        options.Entities.Select(e => options.ToLayoutOptions(e)).Select(o => (o.LabelView, o.Compatibility)).Should().Equal(
            (true, SchemaCompatibility.Des), (false, SchemaCompatibility.Des));
    }

    [Fact]
    public void History_is_off_unless_asked_for_and_an_entity_may_differ()
    {
        var (options, failures) = Bind("""
            { "ReportingSync": { "History": true, "HistoryRetention": "90.00:00:00", "Entities": [ "contact", { "Name": "account", "History": false } ] } }
            """);

        failures.Should().BeEmpty();
        options.Entities.Select(e => options.ToLayoutOptions(e)).Select(o => (o.History, o.HistoryRetention)).Should().Equal(
            (true, TimeSpan.FromDays(90)), (false, TimeSpan.FromDays(90)));
        Bind("""{ "ReportingSync": { "Entities": [ "contact" ] } }""").Options.ToLayoutOptions(new EntityOptions { Name = "contact" }).History.Should().BeFalse();
    }

    [Fact]
    public void A_history_retention_that_is_not_positive_is_named()
    {
        var (_, failures) = Bind("""{ "ReportingSync": { "HistoryRetention": "00:00:00", "Entities": [ "contact" ] } }""");

        failures.Should().ContainSingle().Which.Should().Be("ReportingSync:HistoryRetention must be positive (or unset to keep every version); it is 00:00:00.");
    }

    [Fact]
    public void Every_bad_value_is_reported_with_its_key()
    {
        var (_, failures) = Bind("""
            { "ReportingSync": { "PollInterval": "-00:00:01", "MaxParallelEntities": 0,
              "Entities": [ "contact", "contact", "bad name", { "Exclude": ["x"] }, { "Name": "account", "Include": ["a;b"] } ] } }
            """);

        failures.Should().BeEquivalentTo(
            "ReportingSync:Entities:1 = 'contact' is listed twice.",
            "ReportingSync:Entities:2 = 'bad name' is not a valid table logical name (letters, digits and underscores, starting with a letter or underscore).",
            "ReportingSync:Entities:3 has no Name.",
            "ReportingSync:Entities:4 (account) names an invalid column 'a;b'.",
            "ReportingSync:PollInterval must be positive (was -00:00:01).",
            "ReportingSync:MaxParallelEntities must be between 1 and 64 (was 0).");
    }

    [Fact]
    public void Poll_intervals_the_wrong_way_round_and_a_budget_under_its_old_key_are_each_named_with_their_values()
    {
        var (_, failures) = Bind("""
            { "ReportingSync": { "MinPollInterval": "00:01:00", "MaxPollInterval": "00:00:10", "RequestBudgetPerSecond": 5, "Entities": [ "contact" ] } }
            """);

        failures.Should().BeEquivalentTo(
            "ReportingSync:MaxPollInterval (00:00:10) must not be shorter than ReportingSync:MinPollInterval (00:01:00).",
            "ReportingSync:RequestBudgetPerSecond (5) has moved to ReportingSync:Dataverse:RequestBudgetPerSecond, which limits every request to Dataverse (delta reads, metadata, seeds, reconciliation), not only polling.");
    }

    [Fact]
    public void A_minimum_poll_interval_of_zero_is_named()
    {
        var (options, failures) = Bind("""{ "ReportingSync": { "MinPollInterval": "00:00:00", "MaxPollInterval": "00:00:00", "Entities": [ "contact" ] } }""");

        failures.Should().Equal("ReportingSync:MinPollInterval must be positive (was 00:00:00).");
        options.RequestBudgetPerSecond.Should().BeNull();
    }

    [Fact]
    public void The_seed_memory_budget_defaults_to_96_MB_and_must_be_at_least_1()
    {
        Bind("""{ "ReportingSync": { "Entities": [ "contact" ] } }""").Options.SeedMemoryBudgetMegabytes.Should().Be(96);

        var (_, failures) = Bind("""{ "ReportingSync": { "SeedMemoryBudgetMegabytes": 0, "Entities": [ "contact" ] } }""");

        failures.Should().Equal("ReportingSync:SeedMemoryBudgetMegabytes must be at least 1 (was 0).");
    }

    [Fact]
    public void No_entities_is_an_error_that_says_what_to_write()
    {
        var (_, failures) = Bind("""{ "ReportingSync": { } }""");

        failures.Should().ContainSingle().Which.Should().StartWith("ReportingSync:Entities is empty");
    }
}
