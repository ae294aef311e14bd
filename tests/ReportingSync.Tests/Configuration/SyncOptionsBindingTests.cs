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
