using ReportingSync.Engine;

namespace ReportingSync.Tests.Engine;

public sealed class SeedMemoryBudgetTests
{
    [Fact]
    public async Task Reservations_that_fit_are_granted_at_once_and_the_next_waits_for_room()
    {
        var budget = new SeedMemoryBudget(100);
        using var first = await budget.ReserveAsync(60, CancellationToken.None);
        var second = budget.ReserveAsync(60, CancellationToken.None).AsTask();

        second.IsCompleted.Should().BeFalse("60 + 60 is over the budget of 100");
        first.ShrinkTo(40); // decoded: the body's share goes back
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Bytes.Should().Be(60);
        budget.Held.Should().Be(100);
    }

    [Fact]
    public async Task A_reservation_larger_than_the_budget_goes_alone_rather_than_never()
    {
        var budget = new SeedMemoryBudget(100);
        var small = await budget.ReserveAsync(10, CancellationToken.None);
        var huge = budget.ReserveAsync(500, CancellationToken.None).AsTask();
        var after = budget.ReserveAsync(10, CancellationToken.None).AsTask();

        huge.IsCompleted.Should().BeFalse();
        after.IsCompleted.Should().BeFalse("waiters are served in order, so the large one is not starved");
        small.Dispose();
        using (await huge.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            after.IsCompleted.Should().BeFalse();
        }

        (await after.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        budget.Held.Should().Be(0);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_lets_the_ones_behind_it_go()
    {
        var budget = new SeedMemoryBudget(100);
        using var held = await budget.ReserveAsync(50, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var big = budget.ReserveAsync(80, cancel.Token).AsTask();
        var fits = budget.ReserveAsync(40, CancellationToken.None).AsTask();

        fits.IsCompleted.Should().BeFalse("it queues behind the big one");
        await cancel.CancelAsync();

        await big.Invoking(t => t.WaitAsync(TimeSpan.FromSeconds(5))).Should().ThrowAsync<OperationCanceledException>();
        (await fits.WaitAsync(TimeSpan.FromSeconds(5))).Bytes.Should().Be(40);
        budget.Held.Should().Be(90);
    }

    [Fact]
    public async Task Disposing_twice_or_growing_by_shrink_changes_nothing()
    {
        var budget = new SeedMemoryBudget(100);
        var reservation = await budget.ReserveAsync(30, CancellationToken.None);

        reservation.ShrinkTo(70);
        budget.Held.Should().Be(30);
        reservation.Dispose();
        reservation.Dispose();
        budget.Held.Should().Be(0);
    }
}
