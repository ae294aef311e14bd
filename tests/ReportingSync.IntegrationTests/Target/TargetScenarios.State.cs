using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>The state row beyond the page commit: upgrades and the shadow cursor in the compare-and-set.</summary>
public abstract partial class TargetScenarios
{
    [TargetFact]
    public async Task Initialize_upgrades_a_state_table_created_by_the_first_version()
    {
        await RecreateFirstVersionStateTableAsync();

        await Target.InitializeAsync(Ct);
        await Target.InitializeAsync(Ct);

        var legacy = await Target.LoadStateAsync("legacy", Ct);
        legacy.Should().Be(new EntityState
        {
            EntityName = "legacy",
            Status = EntityStatus.Streaming,
            Cursor = SyncCursor.Delta("https://x/legacy"),
            SeedRowsCopied = 42,
            RowsUpserted = 5,
            Pages = 3,
            UpdatedUtc = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        });
        var upgraded = legacy! with
        {
            ShadowCursor = SyncCursor.Next("https://x/shadow"),
            LastLagSeconds = 1.5,
            ReseedReason = "Command",
            ReseedBlocked = new ReseedBlock(
                new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
                [new BlockingObject("view \"odd\".\"it's, a name\"", "it is owned by \"x\".", "Grant \"x\" to reportingsync_writer.")]),
        };
        var stored = await Target.ChangeStateAsync(new StateChange(legacy, upgraded), Ct);
        (await Target.LoadStateAsync("legacy", Ct)).Should().Be(stored).And.Be(upgraded with { Revision = 1 }, "a NULL revision reads as 0");
    }

    [TargetFact]
    public async Task A_live_page_during_a_reseed_must_start_from_the_state_the_shadow_page_left()
    {
        var layout = await SmallTableAsync();
        await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "x")]);
        var live = await CreateShadowAsync(layout);
        var shadowed = await ReseedAsync(layout, live, [TestRows.Small(layout, Guid.NewGuid(), 1, "shadow")]);

        var ignoringShadow = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 2, "live")], from: live);
        var act = () => Target.CommitPageAsync(ignoringShadow, Ct);
        await act.Should().ThrowAsync<CursorConflictException>("the shadow page moved the revision since");

        var knowing = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 2, "live")], from: shadowed);
        (await Target.CommitPageAsync(knowing, Ct)).RowsWritten.Should().Be(1, "a live page during a re-seed carries the shadow cursor along");
        (await Target.LoadStateAsync("contact", Ct))!.ShadowCursor.Should().Be(shadowed.ShadowCursor);
    }

    [TargetFact]
    public async Task A_workers_report_is_replaced_on_every_write_and_reports_gone_for_a_day_are_dropped()
    {
        var now = new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);
        await Target.ReportWorkerAsync(new WorkerReport("old-replica", now.AddDays(-2), 10, 5, new Dictionary<string, double>()), Ct);
        await Target.ReportWorkerAsync(new WorkerReport("replica-a", now.AddSeconds(-15), 10, 120, new Dictionary<string, double> { ["contact"] = 1 }), Ct);

        var report = new WorkerReport("replica-a", now, 10, 276, new Dictionary<string, double> { ["contact"] = 60, ["dfeta_induction"] = 1.5 });
        await Target.ReportWorkerAsync(report, Ct);

        var stored = (await Target.LoadWorkerReportsAsync(Ct)).Should().ContainSingle().Subject;
        stored.Should().BeEquivalentTo(report, o => o.Excluding(r => r.PollIntervalSeconds));
        stored.PollIntervalSeconds.Should().BeEquivalentTo(report.PollIntervalSeconds);
        stored.BudgetUsed.Should().BeApproximately(0.092, 0.0001, "276 of 3,000 requests per 5 minutes");
    }
}
