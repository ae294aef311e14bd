using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>History mode at the target's level: what one page or one swap does to the live table, the DeleteLog and the history.</summary>
public abstract partial class TargetScenarios
{
    [TargetFact]
    public async Task History_page_that_writes_and_deletes_removes_only_its_deletes_and_records_both()
    {
        // The page stages its ids once, deletes first, and deletes with the head of that list: a written id must survive.
        var layout = await HistoryTableAsync();
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        await CommitAsync(layout, ids.Take(3).Select(id => TestRows.Small(layout, id, 1, "x")));
        Time.Advance(TimeSpan.FromSeconds(30));

        var result = await CommitAsync(layout, [TestRows.Small(layout, ids[1], 2, "changed"), TestRows.Small(layout, ids[3], 1, "new")], deletes: [ids[2], ids[0], ids[2]]);

        result.Should().Be(new CommitResult(2, 2));
        (await ReadAsync(layout)).Select(r => (Guid)r[0]!).Should().BeEquivalentTo(new[] { ids[1], ids[3] });
        (await DeleteLogAsync()).Select(l => l.RecordId).Should().Equal(new[] { ids[2].ToString("D"), ids[0].ToString("D") }, "the deletes in page order, and only they");
        (await Target.CountRowsAsync(layout.HistoryTableName, Ct)).Should().Be(3 + 2 + 2, "three first versions, a changed and a new row, two deletes");
        var check = await Target.CheckHistoryAsync(layout, Ct);
        check.Consistent.Should().BeTrue(check.ToString());
    }

    [TargetFact]
    public async Task History_after_a_swap_has_a_closed_chain_for_every_id_the_swap_changed()
    {
        // The swap closes the chain only for ids it gave a version: a changed row, a row gone, and a version the re-seed
        // read below the newest one recorded (it goes between two versions, and the one before it must now end there).
        var layout = await HistoryTableAsync();
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        await CommitAsync(layout, ids.Select(id => TestRows.Small(layout, id, 1, "x")));
        Time.Advance(TimeSpan.FromSeconds(30));
        await CommitAsync(layout, [TestRows.Small(layout, ids[0], 5, "newest")]);
        Time.Advance(TimeSpan.FromSeconds(30));

        var live = await CreateShadowAsync(layout);
        await SwapAsync(layout, await ReseedAsync(layout, live,
            [TestRows.Small(layout, ids[0], 3, "between"), TestRows.Small(layout, ids[1], 2, "changed"), TestRows.Small(layout, ids[2], 1, "x")]));

        (await Target.CountRowsAsync(layout.HistoryTableName, Ct)).Should().Be(4 + 1 + 1 + 1 + 1, "first versions, ids[0]'s newest, then the swap's between, changed and delete");
        var check = await Target.CheckHistoryAsync(layout, Ct);
        check.IdsWithoutOneOpenVersion.Should().Be(0, check.ToString());
        check.BrokenLinks.Should().Be(0, check.ToString());
    }

    private async Task<TableLayout> HistoryTableAsync()
    {
        var layout = TableLayout.Create(TestSchemas.Small(), options: new LayoutOptions { History = true });
        await Target.EnsureTableAsync(layout, Ct);
        return layout;
    }
}
