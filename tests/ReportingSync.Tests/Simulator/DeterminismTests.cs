using System.Data.SqlTypes;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Store;
using ReportingSync.Tests.Simulator.Support;
using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.Tests.Simulator;

public class DeterminismTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Two_hosts_with_the_same_seed_serve_identical_bytes()
    {
        var first = await PagesAsync(seed: 42);
        var second = await PagesAsync(seed: 42);
        var other = await PagesAsync(seed: 43);

        second.Should().Equal(first);
        other.Should().NotEqual(first);
    }

    [Fact]
    public void Sql_guid_keys_sort_exactly_like_SqlGuid()
    {
        var random = new Random(7);
        var guids = Enumerable.Range(0, 5000).Select(_ =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }).ToList();

        var byKey = guids.OrderBy(SqlGuidOrder.ToKey).ToList();
        var bySqlGuid = guids.OrderBy(g => new SqlGuid(g)).ToList();

        byKey.Should().Equal(bySqlGuid);
        guids.Should().OnlyContain(g => SqlGuidOrder.FromKey(SqlGuidOrder.ToKey(g)) == g);
    }

    [Fact]
    public void A_million_generated_contacts_cost_far_less_than_100_MB()
    {
        var contact = ReferenceModelBuilder.BuildAll().Single(e => e.LogicalName == "contact");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var store = new SimulatorStore([contact], _ => 1_000_000, 42, TimeProvider.System, TimeSpan.FromDays(7));
        var after = GC.GetTotalMemory(forceFullCollection: true);

        store.Count("contact").Should().Be(1_000_000);
        output.WriteLine($"1M generated contacts: {(after - before) / (1024.0 * 1024):F1} MB");
        (after - before).Should().BeLessThan(100L * 1024 * 1024);
        GC.KeepAlive(store);
    }

    /// <summary>Response bodies as text, with the port-specific base URL replaced so two hosts compare.</summary>
    private static async Task<List<string>> PagesAsync(int seed)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero));
        await using var host = await SimulatorFactory.StartAsync(o =>
        {
            o.Seed = seed;
            o.TimeProvider = clock;
        });
        using var client = SimulatorFactory.Client(host);
        var pages = new List<string>();
        foreach (var url in new[] { "contacts", "dfeta_inductions?$select=dfeta_name,_dfeta_personid_value,dfeta_startdate", "accounts?$orderby=name" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.include-annotations=\"*\"");
            var response = await client.SendAsync(request);
            pages.Add(await response.Content.ReadAsStringAsync());
        }

        var tracked = await client.ReadAllPagesAsync("contacts?$select=fullname,birthdate", "odata.track-changes,odata.maxpagesize=50");
        pages.AddRange(tracked.Select(p => p.GetRawText()));
        return pages.Select(p => p.Replace(host.BaseUrl, "BASE", StringComparison.Ordinal)).ToList();
    }
}
