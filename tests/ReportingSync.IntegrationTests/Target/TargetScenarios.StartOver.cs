using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>A read that starts over: its first page empties the table in the same transaction (<see cref="PageCommit.ClearTable"/>).</summary>
public abstract partial class TargetScenarios
{
    /// <summary>SQL that makes the database refuse every row inserted into <paramref name="table"/> (a trigger), and SQL that lifts it.</summary>
    protected abstract (string Refuse, string Allow) InsertRefusal(string table);

    [TargetFact]
    public async Task A_read_that_starts_over_empties_the_table_in_the_transaction_of_its_first_page()
    {
        var layout = await SmallTableAsync();
        await CommitAsync(layout, Enumerable.Range(0, 500).Select(_ => TestRows.Small(layout, Guid.NewGuid(), 1, "first read")), mode: WriteMode.BulkLoad);
        var before = await Target.LoadStateAsync("contact", Ct);
        var newRead = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();

        // The page fails after the table was emptied (the database refuses its rows): the clear rolls back with it, so
        // a failure never leaves an empty table behind a cursor that still says the rows are there.
        var (refuse, allow) = InsertRefusal(DataTable(layout.TableName));
        await ScalarAsync(refuse);
        var refused = Commit(layout, newRead.Select(id => TestRows.Small(layout, id, 2, "new read"))) with { ClearTable = true };
        await FluentActions.Awaiting(() => Target.CommitPageAsync(refused, Ct)).Should().ThrowAsync<Exception>();
        (await Target.CountRowsAsync("contact", Ct)).Should().Be(500);
        (await Target.LoadStateAsync("contact", Ct)).Should().Be(before);

        await ScalarAsync(allow);
        var committed = Commit(layout, newRead.Select(id => TestRows.Small(layout, id, 2, "new read"))) with { ClearTable = true };
        (await Target.CommitPageAsync(committed, Ct)).RowsWritten.Should().Be(3);
        Remember(committed.Change.Stored);

        (await ReadAsync(layout)).Select(r => (Guid)r[0]!).Should().BeEquivalentTo(newRead, "the first read's rows are gone, the new read's first page is in");
        (await Target.LoadStateAsync("contact", Ct)).Should().Be(committed.Change.Stored);
        (await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 3, "next page")])).RowsWritten.Should().Be(1, "the table takes the next page");
    }
}
