using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>Commands: enqueue, claim once in a state change, complete.</summary>
public abstract partial class TargetScenarios
{
    [TargetFact]
    public async Task Commands_are_claimed_and_completed_with_a_state_change_of_their_entity()
    {
        var requested = Time.GetUtcNow().UtcDateTime;
        var first = await Target.EnqueueCommandAsync(new SyncCommand { EntityName = "contact", Kind = "Reseed", RequestedBy = "cli:ops" }, Ct);
        var second = await Target.EnqueueCommandAsync(new SyncCommand { EntityName = "account", Kind = "Reseed" }, Ct);
        var third = await Target.EnqueueCommandAsync(new SyncCommand { EntityName = "contact", Kind = "Reseed", Detail = "schema change" }, Ct);
        new[] { first, second, third }.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        (await Target.GetCommandAsync(first, Ct)).Should().Be(new SyncCommand
        {
            Id = first, EntityName = "contact", Kind = "Reseed", RequestedUtc = requested, RequestedBy = "cli:ops", Status = "Pending",
        });
        (await Target.OpenCommandsAsync("contact", Ct)).Select(c => c.Id).Should().Equal(first, third);

        Time.Advance(TimeSpan.FromSeconds(5));
        var state = await StateRowAsync("contact");
        state = await Target.ChangeStateAsync(
            new StateChange(state, state with { Status = EntityStatus.Reseeding }) { Commands = new CommandUpdate(CommandAction.Claim, [first, second, third], "worker-1") }, Ct);

        var claimed = await Target.OpenCommandsAsync("contact", Ct);
        claimed.Select(c => c.Id).Should().Equal(first, third);
        claimed.Should().AllSatisfy(c => c.Should().BeEquivalentTo(new { Status = "Running", PickedUpBy = "worker-1", PickedUpUtc = (DateTime?)Time.GetUtcNow().UtcDateTime }));
        (await Target.GetCommandAsync(second, Ct))!.Status.Should().Be("Pending", "a state change of contact claims contact's commands only");

        Time.Advance(TimeSpan.FromSeconds(5));
        state = await Target.ChangeStateAsync(new StateChange(state, state) { Commands = new CommandUpdate(CommandAction.Fail, [third, 999_999], "worker-1", "source unavailable") }, Ct);
        state = await Target.ChangeStateAsync(
            new StateChange(state, state with { Status = EntityStatus.Streaming }) { Commands = new CommandUpdate(CommandAction.CompleteRunningReseeds, [], "worker-1", "re-seeded 12 rows") }, Ct);

        (await Target.GetCommandAsync(first, Ct)).Should().BeEquivalentTo(new { Status = "Completed", CompletedUtc = (DateTime?)Time.GetUtcNow().UtcDateTime, Detail = "re-seeded 12 rows" });
        (await Target.GetCommandAsync(third, Ct)).Should().BeEquivalentTo(new { Status = "Failed", Detail = "source unavailable" });
        (await Target.GetCommandAsync(999_999, Ct)).Should().BeNull();
        (await Target.OpenCommandsAsync("contact", Ct)).Should().BeEmpty();
        state.Revision.Should().Be(3);
    }

    [TargetFact]
    public async Task Two_workers_claiming_from_the_same_state_never_both_take_a_command()
    {
        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await Target.EnqueueCommandAsync(new SyncCommand { EntityName = "contact", Kind = "Reseed" }, Ct));
        }

        var start = await StateRowAsync("contact");
        await using var second = await CreateTargetAsync(Time);
        async Task<bool> ClaimAsync(IReportingTarget target, string owner)
        {
            try
            {
                await target.ChangeStateAsync(
                    new StateChange(start, start with { Status = EntityStatus.Reseeding }) { Commands = new CommandUpdate(CommandAction.Claim, ids, owner) }, Ct);
                return true;
            }
            catch (CursorConflictException)
            {
                return false;
            }
        }

        var results = await Task.WhenAll(Task.Run(() => ClaimAsync(Target, "a")), Task.Run(() => ClaimAsync(second, "b")));

        results.Count(r => r).Should().Be(1);
        var winner = results[0] ? "a" : "b";
        (await Target.OpenCommandsAsync("contact", Ct)).Should().HaveCount(10).And.OnlyContain(c => c.PickedUpBy == winner);
    }
}
