using ReportingSync.IntegrationTests.Support;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>Commands: enqueue, claim once, complete.</summary>
public abstract partial class TargetScenarios
{
    [TargetFact]
    public async Task Commands_are_claimed_once_by_the_owner_of_their_entity_and_completed()
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

        Time.Advance(TimeSpan.FromSeconds(5));
        var claimed = await Target.ClaimCommandsAsync(["contact", "lead"], "worker-1", Ct);

        claimed.Select(c => c.Id).Should().Equal(first, third);
        claimed.Should().AllSatisfy(c => c.Should().BeEquivalentTo(new { Status = "Running", PickedUpBy = "worker-1", PickedUpUtc = (DateTime?)Time.GetUtcNow().UtcDateTime }));
        (await Target.ClaimCommandsAsync(["contact"], "worker-2", Ct)).Should().BeEmpty();
        (await Target.GetCommandAsync(second, Ct))!.Status.Should().Be("Pending");

        Time.Advance(TimeSpan.FromSeconds(5));
        await Target.CompleteCommandAsync(first, succeeded: true, "re-seeded 12 rows", Ct);
        await Target.CompleteCommandAsync(third, succeeded: false, "source unavailable", Ct);
        await Target.CompleteCommandAsync(999_999, succeeded: true, null, Ct);

        (await Target.GetCommandAsync(first, Ct)).Should().BeEquivalentTo(new { Status = "Completed", CompletedUtc = (DateTime?)Time.GetUtcNow().UtcDateTime, Detail = "re-seeded 12 rows" });
        (await Target.GetCommandAsync(third, Ct))!.Status.Should().Be("Failed");
        (await Target.GetCommandAsync(999_999, Ct)).Should().BeNull();
    }

    [TargetFact]
    public async Task Two_concurrent_claimers_never_claim_the_same_command()
    {
        var ids = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await Target.EnqueueCommandAsync(new SyncCommand { EntityName = i % 2 == 0 ? "contact" : "account", Kind = "Reseed" }, Ct));
        }

        await using var second = await CreateTargetAsync(Time);
        async Task<List<long>> ClaimAllAsync(IReportingTarget target, string owner)
        {
            var mine = new List<long>();
            for (var round = 0; round < 40; round++)
            {
                mine.AddRange((await target.ClaimCommandsAsync(["contact", "account"], owner, Ct)).Select(c => c.Id));
            }

            return mine;
        }

        var results = await Task.WhenAll(Task.Run(() => ClaimAllAsync(Target, "a")), Task.Run(() => ClaimAllAsync(second, "b")));

        results[0].Intersect(results[1]).Should().BeEmpty();
        results[0].Concat(results[1]).Should().BeEquivalentTo(ids);
    }
}
