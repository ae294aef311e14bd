using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Tests.Engine.Support;

namespace ReportingSync.Tests.Engine;

/// <summary>
/// What the supervisor asks of the source, against a scripted table and a real SQLite target: seeds ask at background
/// priority (they yield to delta reads when the request budget is short), and a table's definition is read again only
/// when the cheap metadata-change check names it.
/// </summary>
public sealed class SupervisorSourceTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_seed_reads_at_background_priority_and_the_delta_reads_after_it_at_streaming()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 250, pageSize: 100));
        var source = new WatchedSource(test.Source);
        var supervisor = await StartAsync(test, source, TimeSpan.FromMinutes(5));

        (await supervisor.RunOnceAsync(Ct)).Should().OnlyContain(o => o.Succeeded);
        test.Source.Create("a change to stream");
        (await supervisor.RunOnceAsync(Ct)).Should().OnlyContain(o => o.Succeeded);

        var reads = source.Reads;
        reads.Where(r => r.Cursor is not { IsDelta: true }).Should().HaveCount(3, "the initial read and its two nextLinks")
            .And.OnlyContain(r => r.Priority == SourcePriority.Background);
        reads.Where(r => r.Cursor is { IsDelta: true }).Should().HaveCount(2, "the read after the seed and the next pass's")
            .And.OnlyContain(r => r.Priority == SourcePriority.Streaming);
    }

    [Fact]
    public async Task The_definition_is_read_again_only_when_the_check_names_the_table_or_its_stamp_expired()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 20));
        var source = new WatchedSource(test.Source);
        var supervisor = await StartAsync(test, source, TimeSpan.Zero);
        source.SchemaReads.Should().Be(1, "preflight reads it once");
        source.Checks.Should().Be(1, "and takes the first stamp before that");

        await PassAsync(supervisor);
        await PassAsync(supervisor);
        source.SchemaReads.Should().Be(1, "nothing changed");

        source.MetadataChanged = true;
        await PassAsync(supervisor);
        source.SchemaReads.Should().Be(2, "the check named the table");
        await PassAsync(supervisor);
        source.SchemaReads.Should().Be(2);

        source.StampExpired = true;
        await PassAsync(supervisor);
        source.SchemaReads.Should().Be(3, "an expired stamp names every table");
    }

    [Fact]
    public async Task No_check_is_made_before_the_refresh_interval_has_passed()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 20));
        var source = new WatchedSource(test.Source);
        var supervisor = await StartAsync(test, source, TimeSpan.FromMinutes(5));

        for (var pass = 0; pass < 3; pass++)
        {
            await PassAsync(supervisor);
        }

        source.Checks.Should().Be(1, "only the first stamp, at preflight");
        source.SchemaReads.Should().Be(1);
    }

    private static async Task PassAsync(SyncSupervisor supervisor) =>
        (await supervisor.RunOnceAsync(Ct)).Should().OnlyContain(o => o.Succeeded);

    private static async Task<SyncSupervisor> StartAsync(AgentUnderTest test, WatchedSource source, TimeSpan metadataRefresh)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var options = Options.Create(new SyncOptions
        {
            Entities = [new EntityOptions { Name = ScriptedTable.Entity }],
            Leases = false,
            MetadataRefreshInterval = metadataRefresh,
        });
        var supervisor = new SyncSupervisor(
            options, source, test.Target, new SyncMetrics(meters, TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance, queries: test.Source);
        await supervisor.InitializeAsync(await supervisor.PreflightAsync(Ct), Ct);
        return supervisor;
    }
}
