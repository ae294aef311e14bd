using ReportingSync.Engine;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;
using ReportingSync.Tests.Engine.Support;

namespace ReportingSync.Tests.Engine;

/// <summary>
/// One entity's agent through the target's role interfaces, against a real SQLite file: what it commits, the state it
/// leaves, and how every change of that state is fenced and recorded.
/// </summary>
public sealed class EntitySyncAgentTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_seed_then_a_delta_leave_the_replica_equal_and_the_state_streaming_with_its_history()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 250, pageSize: 100));
        var agent = await test.AgentAsync();

        var seeded = await agent.RunCycleAsync(Ct);
        test.Source.Create("new one");
        test.Source.Update(test.Source.Rows.Keys.First(), "changed");
        var streamed = await agent.RunCycleAsync(Ct);

        seeded.Should().Be(new CycleResult(true, 3, 250, 0));
        streamed.Should().Be(new CycleResult(false, 1, 2, 0));
        (await test.ReplicaAsync()).Should().BeEquivalentTo(test.Source.Rows);
        var state = (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!;
        state.Should().BeEquivalentTo(new { Status = EntityStatus.Streaming, SeedRowsCopied = 250L, RowsUpserted = 252L, Pages = 4L, Revision = 5L });
        state.Cursor!.IsDelta.Should().BeTrue();
        agent.State.Should().Be(state, "the agent's idea of the row is the stored row");
        (await HistoryAsync(test)).Should().Equal("SeedStarted", "SeedCompleted");
    }

    [Fact]
    public async Task A_seed_reading_faster_than_SQLite_commits_gathers_its_pages_into_fewer_commits_and_copies_every_row()
    {
        // SQLite asks for seeds to commit consecutive pages together (its cost per commit is the key index pages the
        // commit touches); pages that come back to back are gathered, each commit overlapping the next reads.
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 2_500, pageSize: 100) { Columnar = true });
        var agent = await test.AgentAsync();

        var seeded = await agent.RunCycleAsync(Ct);
        test.Source.Create("new one");
        test.Source.Update(test.Source.Rows.Keys.First(), "changed");
        var streamed = await agent.RunCycleAsync(Ct);

        seeded.Should().Be(new CycleResult(true, 25, 2_500, 0));
        streamed.Should().Be(new CycleResult(false, 1, 2, 0));
        (await test.ReplicaAsync()).Should().BeEquivalentTo(test.Source.Rows);
        var state = (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!;
        state.Should().BeEquivalentTo(new { Status = EntityStatus.Streaming, SeedRowsCopied = 2_500L, RowsUpserted = 2_502L, Pages = 26L });
        state.Revision.Should().BeLessThan(15, "25 pages came back to back: a commit each takes the revision to 27");
        (await HistoryAsync(test)).Should().Equal("SeedStarted", "SeedCompleted");
    }

    [Fact]
    public async Task A_failure_is_recorded_as_a_state_change_and_the_next_cycle_recovers_where_it_stopped()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 50));
        var agent = await test.AgentAsync();
        await agent.RunCycleAsync(Ct);
        var seeded = (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!;
        test.Source.Create("made while the source is down");
        test.Source.Fail = _ => new SourceUnavailableException("Dataverse is down for maintenance");

        var failing = () => agent.RunCycleAsync(Ct);

        await failing.Should().ThrowAsync<SourceUnavailableException>();
        var failed = (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!;
        failed.Should().BeEquivalentTo(new
        {
            Status = EntityStatus.Failed,
            ResumeStatus = (EntityStatus?)EntityStatus.Streaming,
            ConsecutiveFailures = 1,
            Cursor = seeded.Cursor,
            Revision = seeded.Revision + 1,
        });
        failed.LastError.Should().StartWith("source: Dataverse is down");

        test.Source.Fail = null;
        await agent.RunCycleAsync(Ct);

        (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!.Should().BeEquivalentTo(new { Status = EntityStatus.Streaming, ConsecutiveFailures = 0, LastError = (string?)null });
        (await test.ReplicaAsync()).Should().BeEquivalentTo(test.Source.Rows);
        (await HistoryAsync(test)).Should().Equal("SeedStarted", "SeedCompleted", "Failed", "Recovered");
    }

    [Fact]
    public async Task A_worker_whose_lease_ran_out_writes_nothing_not_even_its_failure()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 50));
        var fence = new LeaseFence("worker-a", TimeSpan.FromMinutes(1));
        (await test.Target.TryAcquireLeaseAsync(ScriptedTable.Entity, fence.Owner, TimeSpan.FromMinutes(1), Ct)).Should().BeTrue();
        var agent = await test.AgentAsync(fence);
        await agent.RunCycleAsync(Ct);
        test.Source.Create("after the pause");

        // A long pause: the lease runs out by the database's clock and nobody takes it.
        (await test.Target.TryAcquireLeaseAsync(ScriptedTable.Entity, fence.Owner, TimeSpan.FromMilliseconds(50), Ct)).Should().BeTrue();
        await Task.Delay(300);
        var before = (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!;
        var late = () => agent.RunCycleAsync(Ct);

        await late.Should().ThrowAsync<LeaseLostException>();
        (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct)).Should().Be(before, "neither the page nor a failure was recorded");
        (await test.ReplicaAsync()).Should().HaveCount(50);
    }

    [Fact]
    public async Task A_reseed_command_is_claimed_with_the_start_of_the_reseed_and_completed_with_the_swap()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 120));
        var agent = await test.AgentAsync();
        await agent.RunCycleAsync(Ct);
        var id = await test.Target.EnqueueCommandAsync(new SyncCommand { EntityName = ScriptedTable.Entity, Kind = "Reseed", RequestedBy = "cli" }, Ct);

        await agent.RunCycleAsync(Ct);

        // One cycle starts the re-seed and, with a small table, finishes it.
        var command = (await test.Target.GetCommandAsync(id, Ct))!;
        command.Status.Should().Be("Completed");
        command.Detail.Should().StartWith("re-seeded 120 rows");
        (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!.Should().BeEquivalentTo(new { Status = EntityStatus.Streaming, ReseedReason = (string?)null });
        (await HistoryAsync(test)).Should().Equal("SeedStarted", "SeedCompleted", "ReseedStarted", "ReseedCompleted");
    }

    [Fact]
    public async Task A_command_left_running_by_a_worker_that_stopped_before_its_reseed_began_is_taken_again()
    {
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 30));
        var agent = await test.AgentAsync();
        await agent.RunCycleAsync(Ct);
        var id = await test.Target.EnqueueCommandAsync(new SyncCommand { EntityName = ScriptedTable.Entity, Kind = "Reseed" }, Ct);

        // An earlier version claimed commands on their own: it could claim one and stop before acting on it.
        var state = (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!;
        await test.Target.ChangeStateAsync(new StateChange(state, state) { Commands = new CommandUpdate(CommandAction.Claim, [id], "gone-worker") }, Ct);
        (await test.Target.GetCommandAsync(id, Ct))!.Status.Should().Be("Running");

        await agent.RunCycleAsync(Ct);

        (await test.Target.GetCommandAsync(id, Ct))!.Should().BeEquivalentTo(new { Status = "Completed", PickedUpBy = "test-worker" });
    }

    [Fact]
    public async Task Lag_is_left_alone_by_a_seed_unknown_without_modifiedon_and_0_once_a_read_finds_nothing_new()
    {
        // The scripted table has no modifiedon column: the lag of its changes cannot be known, and is not made up as 0.
        await using var test = await AgentUnderTest.StartAsync(new ScriptedTable(rows: 20));
        var agent = await test.AgentAsync();

        await agent.RunCycleAsync(Ct);
        var afterSeed = (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!.LastLagSeconds;
        test.Source.Create("changed after the seed");
        await agent.RunCycleAsync(Ct);
        var afterChange = (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!.LastLagSeconds;
        await agent.RunCycleAsync(Ct);
        var afterQuietRead = (await test.Target.LoadStateAsync(ScriptedTable.Entity, Ct))!.LastLagSeconds;

        afterSeed.Should().BeNull("a seed copies rows changed long ago: their age is not lag");
        afterChange.Should().BeNull("the page had a change but no modifiedon to measure it by");
        afterQuietRead.Should().Be(0, "a read that finds nothing new is caught up");
    }

    private static async Task<List<string>> HistoryAsync(AgentUnderTest test)
    {
        // SyncHistory has no reader on the target: read it as SQL, as an analyst would.
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(test.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Event\" FROM \"reportingsync_SyncHistory\" ORDER BY \"Id\";";
        var events = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(reader.GetString(0));
        }

        return events;
    }
}
