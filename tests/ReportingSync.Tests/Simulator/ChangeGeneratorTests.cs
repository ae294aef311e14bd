using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Store;
using ReportingSync.Tests.Simulator.Support;
using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.Tests.Simulator;

public class ChangeGeneratorTests
{
    [Fact]
    public async Task Steps_mix_creates_updates_and_deletes_deterministically()
    {
        var first = await RunStepsAsync(seed: 42);
        var second = await RunStepsAsync(seed: 42);

        second.Should().Equal(first);
        var kinds = first.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count());
        kinds[ChangeKind.Create].Should().BeInRange(20, 60);
        kinds[ChangeKind.Update].Should().BeInRange(110, 170);
        kinds[ChangeKind.Delete].Should().BeInRange(5, 35);
    }

    [Fact]
    public async Task Generated_changes_appear_in_the_next_delta_in_version_order()
    {
        await using var host = await SimulatorFactory.StartAsync();
        using var client = SimulatorFactory.Client(host);
        const string prefer = "odata.track-changes";
        var deltaLink = (await client.ReadAllPagesAsync("contacts?$select=fullname,versionnumber", prefer))[^1].Str("@odata.deltaLink")!;

        var changes = host.ChangeGenerator.Step(30, ["contact"]);
        var delta = (await client.ReadAllPagesAsync(deltaLink, prefer)).SelectMany(p => p.Values()).ToList();

        var expectedUpserts = changes.GroupBy(c => c.Id).Select(g => g.Last()).Where(c => c.Kind != ChangeKind.Delete)
            .Where(c => host.Store.Get("contact", c.Id) is not null).Select(c => c.Id.ToString()).ToHashSet();
        delta.Where(v => v.Str("reason") is null).Select(v => v.Str("contactid")).Should().BeEquivalentTo(expectedUpserts);
        delta.Where(v => v.Str("reason") is null).Select(v => v.GetProperty("versionnumber").GetInt64()).Should().BeInAscendingOrder();
        delta.SkipWhile(v => v.Str("reason") is null).Should().OnlyContain(v => v.Str("reason") == "deleted");
    }

    [Fact]
    public async Task Running_at_a_rate_records_each_change_time_and_can_pause_and_stop()
    {
        await using var host = await SimulatorFactory.StartAsync();
        var generator = host.ChangeGenerator;

        generator.Start(200, ["contact", "dfeta_induction"]);
        await WaitUntilAsync(() => generator.ChangesMade >= 20);
        generator.Pause();
        var paused = generator.ChangesMade;
        await Task.Delay(150);
        generator.ChangesMade.Should().BeLessThanOrEqualTo(paused + 1);
        generator.Resume();
        await WaitUntilAsync(() => generator.ChangesMade >= paused + 10);
        await generator.StopAsync();

        generator.IsRunning.Should().BeFalse();
        generator.Changes.Should().HaveCount(generator.ChangesMade);
        generator.Changes.Select(c => c.Entity).Distinct().Should().BeSubsetOf(["contact", "dfeta_induction"]);
        generator.Changes.Select(c => c.Version).Should().BeInAscendingOrder();
        generator.Changes.Should().OnlyContain(c => c.At > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    private static async Task<List<(ChangeKind Kind, string Entity, Guid Id, long Version)>> RunStepsAsync(int seed)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero));
        await using var host = await SimulatorFactory.StartAsync(o =>
        {
            o.Seed = seed;
            o.TimeProvider = clock;
        });
        return host.ChangeGenerator.Step(200).Select(c => (c.Kind, c.Entity, c.Id, c.Version)).ToList();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the generator should keep its rate");
            await Task.Delay(10);
        }
    }
}
