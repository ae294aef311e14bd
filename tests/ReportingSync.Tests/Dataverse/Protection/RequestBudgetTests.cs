using System.Diagnostics;
using ReportingSync.Dataverse;
using ReportingSync.Source;

namespace ReportingSync.Tests.Dataverse.Protection;

/// <summary>
/// The request budget: a second's worth at once, then the configured rate, and a free token always to the oldest
/// streaming request before any background one. The bucket runs on real time (the BCL limiter takes no TimeProvider),
/// so these tests use rates that keep them under a few seconds.
/// </summary>
public sealed class RequestBudgetTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_seconds_worth_goes_at_once_and_the_rest_at_the_configured_rate()
    {
        using var budget = new RequestBudget(20);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 20; i++)
        {
            await budget.EnterAsync(SourcePriority.Streaming, CancellationToken.None);
        }

        var burst = clock.Elapsed;
        for (var i = 0; i < 20; i++)
        {
            await budget.EnterAsync(SourcePriority.Streaming, CancellationToken.None).AsTask().WaitAsync(Soon);
        }

        burst.Should().BeLessThan(TimeSpan.FromMilliseconds(500), "the bucket starts full");
        // 20 more at 20 per second take a second, less a refill step that may land during the burst and the timer's phase.
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(700), "the rest go at the configured rate");
    }

    [Fact]
    public async Task A_streaming_request_goes_before_every_background_request_already_waiting()
    {
        using var budget = new RequestBudget(2);
        for (var i = 0; i < 2; i++)
        {
            await budget.EnterAsync(SourcePriority.Background, CancellationToken.None);
        }

        var order = new List<string>();
        Task Enter(SourcePriority priority, string name) => budget.EnterAsync(priority, CancellationToken.None).AsTask()
            .ContinueWith(_ => { lock (order) { order.Add(name); } }, TaskScheduler.Default);
        var background = new Dictionary<string, Task>
        {
            ["seed 1"] = Enter(SourcePriority.Background, "seed 1"),
            ["seed 2"] = Enter(SourcePriority.Background, "seed 2"),
            ["reconcile"] = Enter(SourcePriority.Background, "reconcile"),
        };

        // A refill step (every half second) may have let the first one through already; those still waiting are the point.
        var stillWaiting = background.Where(b => !b.Value.IsCompleted).Select(b => b.Key).ToList();
        var delta = Enter(SourcePriority.Streaming, "delta");
        stillWaiting.Should().HaveCountGreaterThanOrEqualTo(2);

        await Task.WhenAll([delta, .. background.Values]).WaitAsync(Soon);

        order.Should().HaveCount(4);
        order.IndexOf("delta").Should().BeLessThan(stillWaiting.Min(order.IndexOf), string.Join(", ", order));
        order.Where(stillWaiting.Contains).Should().Equal(stillWaiting, "background requests keep their order among themselves");
    }

    [Fact]
    public async Task A_request_that_gives_up_leaves_the_queue_and_takes_no_token()
    {
        using var budget = new RequestBudget(1);
        await budget.EnterAsync(SourcePriority.Streaming, CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var abandoned = budget.EnterAsync(SourcePriority.Background, giveUp.Token).AsTask();
        var next = budget.EnterAsync(SourcePriority.Background, CancellationToken.None).AsTask();

        await giveUp.CancelAsync();

        await abandoned.Invoking(t => t.WaitAsync(Soon)).Should().ThrowAsync<OperationCanceledException>();
        budget.Waiting(SourcePriority.Background).Should().Be(1);
        await next.WaitAsync(Soon);
        budget.Waiting(SourcePriority.Background).Should().Be(0);
    }
}
