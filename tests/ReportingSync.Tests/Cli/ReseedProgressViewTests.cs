using FluentAssertions;
using ReportingSync.Cli;
using ReportingSync.Model;
using ReportingSync.Target;
using Xunit;

namespace ReportingSync.Tests.Cli;

public sealed class ReseedProgressViewTests
{
    private static readonly SyncCommand Running = new() { Id = 7, EntityName = "contact", Kind = "Reseed", Status = "Running", PickedUpBy = "host:42:abc" };

    [Fact]
    public void A_request_no_worker_has_picked_up_says_so()
    {
        ReseedProgressView.Describe("contact", Running with { Status = "Pending" }, null)
            .Should().Be("contact: waiting for a running worker to pick the request up");
    }

    [Fact]
    public void A_running_reseed_with_an_estimate_draws_a_bar_with_the_share_copied()
    {
        var state = new EntityState { EntityName = "contact", Status = EntityStatus.Reseeding, SeedRowsCopied = 25_000, SeedRowsEstimated = 100_000 };

        ReseedProgressView.Describe("contact", Running, state)
            .Should().Be("contact: [########......................] 25% 25,000 / ~100,000 rows");
    }

    [Fact]
    public void Without_an_estimate_the_rows_copied_are_shown_and_a_failure_being_retried_is_named()
    {
        var state = new EntityState
        {
            EntityName = "contact", Status = EntityStatus.Failed, ResumeStatus = EntityStatus.Reseeding, SeedRowsCopied = 1_234, LastError = "source: HTTP 503",
        };

        ReseedProgressView.Describe("contact", Running, state)
            .Should().Be("contact: 1,234 rows copied into the shadow table (retrying after: source: HTTP 503)");
    }
}
