using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>Leases and the fenced page commit.</summary>
public abstract partial class TargetScenarios
{
    [TargetFact]
    public async Task A_lease_is_taken_only_when_free_expired_or_already_held()
    {
        var expires = Time.GetUtcNow().UtcDateTime.AddMinutes(1);

        (await Target.TryAcquireLeaseAsync("contact", "a", expires, Ct)).Should().BeTrue("no state row yet: one is created holding the lease");
        var created = await Target.LoadStateAsync("contact", Ct);
        created.Should().BeEquivalentTo(new { EntityName = "contact", Status = EntityStatus.New, LeaseOwner = "a", LeaseExpiresUtc = expires, Cursor = (SyncCursor?)null });

        (await Target.TryAcquireLeaseAsync("contact", "b", expires, Ct)).Should().BeFalse();
        (await Target.TryAcquireLeaseAsync("contact", "a", expires.AddMinutes(1), Ct)).Should().BeTrue("the owner renews");
        (await Target.LoadStateAsync("contact", Ct))!.LeaseExpiresUtc.Should().Be(expires.AddMinutes(1));

        await Target.ReleaseLeaseAsync("contact", "b", Ct);
        (await Target.LoadStateAsync("contact", Ct))!.LeaseOwner.Should().Be("a", "only the owner can release");

        Time.Advance(TimeSpan.FromMinutes(3));
        (await Target.TryAcquireLeaseAsync("contact", "b", Time.GetUtcNow().UtcDateTime.AddMinutes(1), Ct)).Should().BeTrue("a's lease expired");
        await Target.ReleaseLeaseAsync("contact", "b", Ct);
        (await Target.LoadStateAsync("contact", Ct))!.LeaseOwner.Should().BeNull();
        (await Target.TryAcquireLeaseAsync("contact", "a", Time.GetUtcNow().UtcDateTime.AddMinutes(1), Ct)).Should().BeTrue("released leases are free at once");
    }

    [TargetFact]
    public async Task Taking_a_lease_keeps_the_rest_of_the_state()
    {
        var layout = await SmallTableAsync();
        await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "x")], next: SyncCursor.Delta("https://x/delta"));
        var before = await Target.LoadStateAsync("contact", Ct);

        (await Target.TryAcquireLeaseAsync("contact", "a", Time.GetUtcNow().UtcDateTime.AddMinutes(1), Ct)).Should().BeTrue();

        (await Target.LoadStateAsync("contact", Ct)).Should().Be(before! with { LeaseOwner = "a", LeaseExpiresUtc = Time.GetUtcNow().UtcDateTime.AddMinutes(1) });
    }

    [TargetFact]
    public async Task Concurrent_workers_racing_for_a_free_lease_see_exactly_one_winner()
    {
        var owners = Enumerable.Range(0, 8).Select(i => $"worker-{i}").ToList();

        var results = await Task.WhenAll(owners.Select(o => Task.Run(() => Target.TryAcquireLeaseAsync("account", o, Time.GetUtcNow().UtcDateTime.AddMinutes(1), Ct))));

        results.Count(r => r).Should().Be(1);
        (await Target.LoadStateAsync("account", Ct))!.LeaseOwner.Should().Be(owners[Array.IndexOf(results, true)]);
    }

    [TargetFact]
    public async Task A_fenced_commit_writes_only_while_its_lease_is_held()
    {
        var layout = await SmallTableAsync();
        (await Target.TryAcquireLeaseAsync("contact", "a", Time.GetUtcNow().UtcDateTime.AddMinutes(1), Ct)).Should().BeTrue();
        var start = (await Target.LoadStateAsync("contact", Ct))!;

        var first = Fenced(layout, start, "a", Guid.NewGuid(), "https://x/1");
        await Target.CommitPageAsync(first, Ct);
        (await Target.LoadStateAsync("contact", Ct))!.LeaseExpiresUtc.Should().Be(first.State.LeaseExpiresUtc, "the commit renews the lease");

        var intruder = Fenced(layout, first.State, "b", Guid.NewGuid(), "https://x/2");
        var byOther = () => Target.CommitPageAsync(intruder, Ct);
        (await byOther.Should().ThrowAsync<LeaseLostException>()).Which.Should().BeAssignableTo<CursorConflictException>();

        // Expired but not taken: still ours (a long read outlived the lease); the commit goes through and renews it.
        Time.Advance(TimeSpan.FromMinutes(10));
        var late = Fenced(layout, first.State, "a", Guid.NewGuid(), "https://x/3");
        await Target.CommitPageAsync(late, Ct);
        (await Target.LoadStateAsync("contact", Ct))!.LeaseExpiresUtc.Should().Be(late.State.LeaseExpiresUtc);

        // Expired and taken by b: a can never write again.
        Time.Advance(TimeSpan.FromMinutes(10));
        (await Target.TryAcquireLeaseAsync("contact", "b", Time.GetUtcNow().UtcDateTime.AddMinutes(1), Ct)).Should().BeTrue();
        var afterTakeover = () => Target.CommitPageAsync(Fenced(layout, late.State, "a", Guid.NewGuid(), "https://x/4"), Ct);
        (await afterTakeover.Should().ThrowAsync<LeaseLostException>()).Which.Entity.Should().Be("contact");

        (await Target.CountRowsAsync("contact", Ct)).Should().Be(2, "only commits under a lease the writer owned wrote");
        (await Target.LoadStateAsync("contact", Ct))!.Cursor.Should().Be(late.State.Cursor);
        first = late with { State = (await Target.LoadStateAsync("contact", Ct))! };

        var moved = Fenced(layout, first.State with { Cursor = SyncCursor.Next("https://x/elsewhere") }, "a", Guid.NewGuid(), "https://x/4");
        Time.Advance(TimeSpan.FromMinutes(10));
        (await Target.TryAcquireLeaseAsync("contact", "a", Time.GetUtcNow().UtcDateTime.AddMinutes(1), Ct)).Should().BeTrue();
        var stale = () => Target.CommitPageAsync(moved with { ExpectedCursor = SyncCursor.Next("https://x/elsewhere") }, Ct);
        (await stale.Should().ThrowAsync<CursorConflictException>()).Which.Should().NotBeOfType<LeaseLostException>("the lease is held; the cursor moved");
    }

    /// <summary>A commit from <paramref name="state"/>'s cursor, fenced by <paramref name="owner"/>, renewing the lease.</summary>
    private PageCommit Fenced(TableLayout layout, EntityState state, string owner, Guid id, string next) => new()
    {
        Layout = layout,
        Upserts = TestRows.Batch(layout, [TestRows.Small(layout, id, 1, owner)]),
        ExpectedCursor = state.Cursor,
        LeaseOwner = owner,
        State = state with { Cursor = SyncCursor.Next(next), LeaseOwner = owner, LeaseExpiresUtc = Time.GetUtcNow().UtcDateTime.AddMinutes(2), UpdatedUtc = Time.GetUtcNow().UtcDateTime },
    };
}
