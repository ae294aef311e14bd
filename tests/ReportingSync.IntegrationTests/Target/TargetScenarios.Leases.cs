using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>Leases (by the database's clock) and the fenced page commit.</summary>
public abstract partial class TargetScenarios
{
    /// <summary>How far the database's clock may be from this process's (same machine here; SQL Server's datetime2 rounds).</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(5);

    [TargetFact]
    public async Task A_lease_is_taken_only_when_free_expired_or_already_held()
    {
        (await Target.TryAcquireLeaseAsync("contact", "a", TimeSpan.FromMinutes(1), Ct)).Should().BeTrue("no state row yet: one is created holding the lease");
        var created = await Target.LoadStateAsync("contact", Ct);
        created.Should().BeEquivalentTo(new { EntityName = "contact", Status = EntityStatus.New, LeaseOwner = "a", Cursor = (SyncCursor?)null });
        created!.LeaseExpiresUtc.Should().BeCloseTo(DateTime.UtcNow.AddMinutes(1), ClockTolerance, "the expiry comes from the database's clock");

        (await Target.TryAcquireLeaseAsync("contact", "b", TimeSpan.FromMinutes(1), Ct)).Should().BeFalse();
        (await Target.TryAcquireLeaseAsync("contact", "a", TimeSpan.FromMinutes(2), Ct)).Should().BeTrue("the owner renews");
        (await Target.LoadStateAsync("contact", Ct))!.LeaseExpiresUtc.Should().BeCloseTo(DateTime.UtcNow.AddMinutes(2), ClockTolerance);

        await Target.ReleaseLeaseAsync("contact", "b", Ct);
        (await Target.LoadStateAsync("contact", Ct))!.LeaseOwner.Should().Be("a", "only the owner can release");

        (await Target.TryAcquireLeaseAsync("contact", "a", TimeSpan.FromMilliseconds(100), Ct)).Should().BeTrue();
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        (await Target.TryAcquireLeaseAsync("contact", "b", TimeSpan.FromMinutes(1), Ct)).Should().BeTrue("a's lease ran out by the database's clock");
        await Target.ReleaseLeaseAsync("contact", "b", Ct);
        (await Target.LoadStateAsync("contact", Ct))!.LeaseOwner.Should().BeNull();
        (await Target.TryAcquireLeaseAsync("contact", "a", TimeSpan.FromMinutes(1), Ct)).Should().BeTrue("released leases are free at once");
    }

    [TargetFact]
    public async Task Taking_a_lease_keeps_the_rest_of_the_state()
    {
        var layout = await SmallTableAsync();
        await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "x")], next: SyncCursor.Delta("https://x/delta"));
        var before = await Target.LoadStateAsync("contact", Ct);

        (await Target.TryAcquireLeaseAsync("contact", "a", TimeSpan.FromMinutes(1), Ct)).Should().BeTrue();

        var after = await Target.LoadStateAsync("contact", Ct);
        after.Should().Be(before! with { LeaseOwner = "a", LeaseExpiresUtc = after!.LeaseExpiresUtc });
    }

    [TargetFact]
    public async Task Concurrent_workers_racing_for_a_free_lease_see_exactly_one_winner()
    {
        var owners = Enumerable.Range(0, 8).Select(i => $"worker-{i}").ToList();

        var results = await Task.WhenAll(owners.Select(o => Task.Run(() => Target.TryAcquireLeaseAsync("account", o, TimeSpan.FromMinutes(1), Ct))));

        results.Count(r => r).Should().Be(1);
        (await Target.LoadStateAsync("account", Ct))!.LeaseOwner.Should().Be(owners[Array.IndexOf(results, true)]);
    }

    [TargetFact]
    public async Task A_fenced_commit_writes_only_while_its_lease_is_held_and_unexpired()
    {
        var layout = await SmallTableAsync();
        (await Target.TryAcquireLeaseAsync("contact", "a", TimeSpan.FromMinutes(1), Ct)).Should().BeTrue();
        var start = (await Target.LoadStateAsync("contact", Ct))!;

        var first = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "a")], from: start, fence: new LeaseFence("a", TimeSpan.FromMinutes(5)));
        await Target.CommitPageAsync(first, Ct);
        (await Target.LoadStateAsync("contact", Ct))!.LeaseExpiresUtc.Should().BeCloseTo(DateTime.UtcNow.AddMinutes(5), ClockTolerance, "the commit renews the lease");

        var intruder = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "b")], from: first.Change.Stored, fence: new LeaseFence("b", TimeSpan.FromMinutes(1)));
        var byOther = () => Target.CommitPageAsync(intruder, Ct);
        (await byOther.Should().ThrowAsync<LeaseLostException>()).Which.Should().BeAssignableTo<CursorConflictException>();

        // Expired and taken by nobody: a's lease ran out (a long pause), so a must not write any more.
        (await Target.TryAcquireLeaseAsync("contact", "a", TimeSpan.FromMilliseconds(100), Ct)).Should().BeTrue();
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        var late = () => Target.CommitPageAsync(Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "late")], from: first.Change.Stored, fence: new LeaseFence("a", TimeSpan.FromMinutes(1))), Ct);
        (await late.Should().ThrowAsync<LeaseLostException>()).Which.Entity.Should().Be("contact");

        // Taken by b: a can never write again.
        (await Target.TryAcquireLeaseAsync("contact", "b", TimeSpan.FromMinutes(1), Ct)).Should().BeTrue();
        var afterTakeover = () => Target.CommitPageAsync(Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "x")], from: first.Change.Stored, fence: new LeaseFence("a", TimeSpan.FromMinutes(1))), Ct);
        await afterTakeover.Should().ThrowAsync<LeaseLostException>();

        (await Target.CountRowsAsync("contact", Ct)).Should().Be(1, "only the commit under a live lease wrote");
        (await Target.LoadStateAsync("contact", Ct))!.Cursor.Should().Be(first.Change.Stored.Cursor);

        var byB = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "b")], from: first.Change.Stored, fence: new LeaseFence("b", TimeSpan.FromMinutes(1)));
        await Target.CommitPageAsync(byB, Ct);
        var stale = () => Target.CommitPageAsync(Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "again")], from: first.Change.Stored, fence: new LeaseFence("b", TimeSpan.FromMinutes(1))), Ct);
        (await stale.Should().ThrowAsync<CursorConflictException>()).Which.Should().NotBeOfType<LeaseLostException>("the lease is held; the state moved");
    }
}
