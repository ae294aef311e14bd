using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

public class SimulatorOptionsTests
{
    [Fact]
    public async Task Invalid_options_fail_at_start_with_a_clear_message()
    {
        var tooBig = () => SimulatorHost.StartAsync(new SimulatorOptions { MaxPageSize = 10_000 });
        await tooBig.Should().ThrowAsync<ArgumentException>()
            .WithMessage("MaxPageSize must be between 1 and 5000 (the service's maximum); it is 10000.");

        var unknown = () => SimulatorHost.StartAsync(new SimulatorOptions { Entities = ["contact", "nosuch"] });
        await unknown.Should().ThrowAsync<ArgumentException>().WithMessage("Unknown tables in SimulatorOptions.Entities: nosuch.*");

        var noOrganization = () => SimulatorHost.StartAsync(new SimulatorOptions { OrganizationId = Guid.Empty });
        await noOrganization.Should().ThrowAsync<ArgumentException>()
            .WithMessage("OrganizationId cannot be the empty GUID; leave it null for the id derived from Seed.");
    }

    [Fact]
    public async Task Fault_rules_and_page_latency_apply_from_the_start()
    {
        await using var host = await SimulatorFactory.StartAsync(o =>
        {
            o.FaultRules.Add(new FaultRule { Kind = FaultKind.ServiceUnavailable, Count = 1 });
            o.PageLatency = TimeSpan.FromMilliseconds(120);
        });
        using var client = SimulatorFactory.Client(host);

        (await client.GetAsync("accounts?$select=name")).StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        var started = System.Diagnostics.Stopwatch.StartNew();
        (await client.GetAsync("accounts?$select=name")).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(110));
    }

    [Fact]
    public async Task The_default_model_serves_every_column_of_all_55_tables()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            RowCounts = SimulatorHost_SmallCounts(),
        });
        using var client = SimulatorFactory.Client(host);

        var body = await client.GetOkAsync("EntityDefinitions?$select=LogicalName,EntitySetName");
        body.Values().Should().HaveCount(55);
        foreach (var set in body.Values().Select(v => v.Str("EntitySetName")!))
        {
            var page = await client.GetOkAsync(set, "odata.include-annotations=\"*\"");
            page.Values().Should().NotBeEmpty(set);
        }
    }

    private static Dictionary<string, int> SimulatorHost_SmallCounts() =>
        SimulatorOptions.DefaultRowCounts.Keys.ToDictionary(k => k, _ => 10);
}
