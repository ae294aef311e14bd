using Microsoft.Extensions.Logging.Abstractions;
using ReportingSync.Engine.Repair;
using ReportingSync.Target;
using ReportingSync.Tests.Engine.Support;

namespace ReportingSync.Tests.Engine;

/// <summary>Repairs through the normal fenced commit: what each kind of difference becomes.</summary>
public sealed class RowRepairTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Missing_extra_stale_and_ahead_rows_end_equal_to_the_source()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 20));
        var agent = await test.AgentAsync();
        await agent.RunCycleAsync(Ct);
        var ids = test.Source.Rows.Keys.ToList();
        var (missing, stale, ahead) = (ids[0], ids[1], ids[2]);
        test.Source.Update(stale, "newer in the source");
        var extra = Guid.NewGuid();
        await test.ExecuteAsync(
            $"DELETE FROM \"contact\" WHERE \"Id\" = '{missing:D}';",
            $"UPDATE \"contact\" SET \"versionnumber\" = 99999, \"fullname\" = 'edited by hand' WHERE \"Id\" = '{ahead:D}';",
            $"INSERT INTO \"contact\" (\"Id\", \"fullname\", \"versionnumber\", \"SinkCreatedOn\", \"SinkModifiedOn\") VALUES ('{extra:D}', 'not in the source', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');");

        var repaired = await new RowRepair(test.Source, test.Target, null, TimeProvider.System, NullLogger.Instance).RepairAsync(
            test.Layout,
            [new(missing, FindingKind.Missing), new(stale, FindingKind.Stale), new(ahead, FindingKind.Stale), new(extra, FindingKind.Extra), new(ids[3], FindingKind.Stale)],
            fence: null,
            Ct);

        repaired.Should().Be(4, "the fifth row was equal by the time of the repair");
        (await test.ReplicaAsync()).Should().BeEquivalentTo(test.Source.Rows);
    }

    [Fact]
    public async Task A_repair_that_meets_a_commit_of_the_worker_reads_again_and_does_not_undo_it()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 10));
        var agent = await test.AgentAsync();
        await agent.RunCycleAsync(Ct);
        var deleted = test.Source.Rows.Keys.First();

        // The worker commits the delete between the repair's read of the source and its commit: the repair's source
        // reads still see the row, but its compare-and-set fails and it reads everything again.
        var source = new InterleavedSource(test.Source, afterFirstFetch: async () =>
        {
            test.Source.Delete(deleted);
            await agent.RunCycleAsync(Ct);
        });
        await new RowRepair(source, test.Target, null, TimeProvider.System, NullLogger.Instance)
            .RepairAsync(test.Layout, [new(deleted, FindingKind.Stale)], fence: null, Ct);

        (await test.ReplicaAsync()).Should().NotContainKey(deleted);
        (await test.ReplicaAsync()).Should().BeEquivalentTo(test.Source.Rows);
    }
}
