using ReportingSync.Tests.Dataverse.Support;

namespace ReportingSync.Tests.Dataverse.Changes;

/// <summary>
/// What the engine receives for a record deleted and restored (recycle bin) between two delta reads: the client passes
/// Dataverse's order through unchanged, the upsert on one page and the delete on a later page of the same read. The
/// engine must let the upsert win within one read (a delete does not undo a newer upsert of the same id).
/// </summary>
public sealed class RestoredRowTests
{
    [Fact]
    public async Task A_restored_row_reaches_the_engine_as_an_upsert_and_on_a_later_page_of_the_same_read_as_a_delete()
    {
        await using var dataverse = await SimulatedDataverse.StartAsync(client: o => o.PageSize = 2);
        var layout = await dataverse.LayoutAsync("contact", "fullname");
        var (_, deltaLink) = await dataverse.ReadToDeltaLinkAsync(layout);
        var rows = dataverse.Host.Store.Snapshot("contact");
        dataverse.Host.Store.Delete("contact", rows[3].Id);
        dataverse.Host.Store.Update("contact", rows[5].Id, new Dictionary<string, object?> { ["firstname"] = "Edited" });
        var restoredVersion = dataverse.Host.Store.Restore("contact", rows[3].Id);

        var (pages, _) = await dataverse.ReadToDeltaLinkAsync(layout, deltaLink);

        pages.Should().HaveCount(2);
        pages[0].Upserts.Rows.Select(r => (Guid)r[layout.IdOrdinal]!).Should().Equal(rows[5].Id, rows[3].Id);
        pages[0].Upserts.GetVersion(1).Should().Be(restoredVersion);
        pages[0].Deletes.Should().BeEmpty();
        pages[1].Upserts.Count.Should().Be(0);
        pages[1].Deletes.Should().Equal(rows[3].Id);
        pages[1].CompletesRead.Should().BeTrue();
    }
}
