using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>
/// Every change of an entity's state is fenced by its lease, unexpired by the database's clock: a worker whose lease ran
/// out (a long pause, a network partition) writes nothing, whatever it tries.
/// </summary>
public abstract partial class TargetScenarios
{
    private static readonly LeaseFence StaleFence = new("worker-a", TimeSpan.FromMinutes(1));

    [TargetFact]
    public async Task A_worker_whose_lease_expired_cannot_commit_a_page()
    {
        var (layout, state) = await ExpiredLeaseAsync();

        var act = () => Target.CommitPageAsync(Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 2, "late")], from: state, fence: StaleFence), Ct);

        await act.Should().ThrowAsync<LeaseLostException>();
        await AssertUnchangedAsync(layout, state);
    }

    [TargetFact]
    public async Task A_worker_whose_lease_expired_cannot_change_the_state_row()
    {
        var (layout, state) = await ExpiredLeaseAsync();

        var act = () => Target.ChangeStateAsync(new StateChange(state, state with { Status = EntityStatus.Failed, LastError = "late" }) { Fence = StaleFence }, Ct);

        await act.Should().ThrowAsync<LeaseLostException>();
        await AssertUnchangedAsync(layout, state);
    }

    [TargetFact]
    public async Task A_worker_whose_lease_expired_cannot_create_or_drop_a_shadow_table()
    {
        var (layout, state) = await ExpiredLeaseAsync();

        var create = () => Target.CreateShadowTableAsync(layout, new StateChange(state, state with { Status = EntityStatus.Reseeding }) { Fence = StaleFence }, Ct);
        await create.Should().ThrowAsync<LeaseLostException>();
        (await Target.GetTableColumnsAsync(layout.ShadowTableName, Ct)).Should().BeNull("the shadow table is created in the fenced transaction");

        (await Target.TryAcquireLeaseAsync("contact", StaleFence.Owner, TimeSpan.FromMinutes(1), Ct)).Should().BeTrue();
        state = await Target.CreateShadowTableAsync(layout, new StateChange(state, state with { Status = EntityStatus.Reseeding }) { Fence = StaleFence }, Ct);
        await ExpireAsync();
        var drop = () => Target.DropShadowTableAsync(layout, new StateChange(state, state with { Status = EntityStatus.Streaming }) { Fence = StaleFence }, Ct);
        await drop.Should().ThrowAsync<LeaseLostException>();
        (await Target.GetTableColumnsAsync(layout.ShadowTableName, Ct)).Should().NotBeNull("the drop is fenced too");
        await AssertUnchangedAsync(layout, state);
    }

    [TargetFact]
    public async Task A_worker_whose_lease_expired_cannot_swap_the_shadow_in()
    {
        var (layout, state) = await ExpiredLeaseAsync();
        (await Target.TryAcquireLeaseAsync("contact", StaleFence.Owner, TimeSpan.FromMinutes(1), Ct)).Should().BeTrue();
        state = await Target.CreateShadowTableAsync(layout, new StateChange(state, state with { Status = EntityStatus.Reseeding }) { Fence = StaleFence }, Ct);
        await ExpireAsync();

        var swap = () => Target.SwapShadowTableAsync(layout, new StateChange(state, state with { Status = EntityStatus.Streaming }) { Fence = StaleFence }, Ct);

        await swap.Should().ThrowAsync<LeaseLostException>();
        await AssertUnchangedAsync(layout, state);
        (await Target.GetTableColumnsAsync(layout.ShadowTableName, Ct)).Should().NotBeNull();
    }

    [TargetFact]
    public async Task A_worker_whose_lease_expired_cannot_claim_or_complete_a_command()
    {
        var (layout, state) = await ExpiredLeaseAsync();
        var id = await Target.EnqueueCommandAsync(new SyncCommand { EntityName = "contact", Kind = "Reseed" }, Ct);

        var claim = () => Target.ChangeStateAsync(new StateChange(state, state) { Fence = StaleFence, Commands = new CommandUpdate(CommandAction.Claim, [id], StaleFence.Owner) }, Ct);
        await claim.Should().ThrowAsync<LeaseLostException>();
        (await Target.GetCommandAsync(id, Ct))!.Status.Should().Be("Pending");

        var complete = () => Target.ChangeStateAsync(new StateChange(state, state) { Fence = StaleFence, Commands = new CommandUpdate(CommandAction.Complete, [id], StaleFence.Owner, "done") }, Ct);
        await complete.Should().ThrowAsync<LeaseLostException>();
        (await Target.GetCommandAsync(id, Ct))!.Status.Should().Be("Pending");
        await AssertUnchangedAsync(layout, state);
    }

    [TargetFact]
    public async Task A_worker_whose_lease_expired_cannot_repair_a_row()
    {
        var (layout, state) = await ExpiredLeaseAsync();
        var row = (await ReadAsync(layout)).Single();
        var repaired = (object?[])row.Clone();
        repaired[1] = "repaired";

        var act = () => Target.CommitPageAsync(
            new PageCommit
            {
                Layout = layout,
                Upserts = TestRows.Batch(layout, [repaired]),
                Replace = [(Guid)row[0]!],
                Change = new StateChange(state, state) { Fence = StaleFence },
            },
            Ct);

        await act.Should().ThrowAsync<LeaseLostException>();
        await AssertUnchangedAsync(layout, state);
    }

    /// <summary>A table with one row, committed under worker-a's lease, which has then run out by the database's clock.</summary>
    private async Task<(TableLayout Layout, EntityState State)> ExpiredLeaseAsync()
    {
        var layout = await SmallTableAsync();
        (await Target.TryAcquireLeaseAsync("contact", StaleFence.Owner, TimeSpan.FromMinutes(1), Ct)).Should().BeTrue();
        var start = (await Target.LoadStateAsync("contact", Ct))!;
        var commit = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "written while held")], from: start, fence: StaleFence);
        await Target.CommitPageAsync(commit, Ct);
        await ExpireAsync();
        return (layout, (await Target.LoadStateAsync("contact", Ct))!);
    }

    /// <summary>Shortens worker-a's lease to 100 ms and waits it out.</summary>
    private async Task ExpireAsync()
    {
        (await Target.TryAcquireLeaseAsync("contact", StaleFence.Owner, TimeSpan.FromMilliseconds(100), Ct)).Should().BeTrue();
        await Task.Delay(TimeSpan.FromMilliseconds(400));
    }

    private async Task AssertUnchangedAsync(TableLayout layout, EntityState state)
    {
        var stored = await Target.LoadStateAsync("contact", Ct);
        stored.Should().Be(state with { LeaseOwner = stored!.LeaseOwner, LeaseExpiresUtc = stored.LeaseExpiresUtc }, "nothing of the state row changed");
        (await ReadAsync(layout)).Should().ContainSingle().Which[1].Should().Be("written while held");
    }
}
