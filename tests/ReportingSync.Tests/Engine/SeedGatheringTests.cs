using Microsoft.Extensions.Time.Testing;
using ReportingSync.Engine;
using ReportingSync.Model;
using ReportingSync.Tests.Engine.Support;

namespace ReportingSync.Tests.Engine;

public sealed class SeedGatheringTests
{
    private static readonly TableLayout Layout = TableLayout.Create(ScriptedTable.Schema);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Gathered_pages_hold_every_row_in_order_text_and_nulls_included_with_the_last_cursor()
    {
        var gathering = new SeedGathering(20_000, _clock);
        var first = Page(0, 3, "page1");
        var second = Page(3, 2, "page2");
        var third = Page(5, 4, "page3");

        var held = gathering.Gather(gathering.Gather(first, second), third);

        held.Pages.Should().Be(3);
        held.Requests.Should().Be(3);
        held.Next.Should().Be(third.Next);
        held.Upserts.Rows.Select(r => (r[Layout.IdOrdinal], r[Layout.IndexOf("fullname")], r[Layout.VersionOrdinal]))
            .Should().Equal(Enumerable.Range(0, 9).Select(Expected));
        foreach (var page in new[] { first, second, third })
        {
            page.Invoking(p => p.Upserts.Columns).Should().Throw<ObjectDisposedException>("a page's own storage goes back to the pool once copied");
        }
    }

    [Fact]
    public void A_committed_gathering_gives_its_buffer_back_for_the_next_one()
    {
        var gathering = new SeedGathering(20_000, _clock);
        var held = gathering.Gather(Page(0, 3, "a"), Page(3, 3, "b"));
        var buffer = held.Upserts.Columns;
        held.Upserts.Dispose();

        var next = gathering.Gather(Page(6, 1, "c"), Page(7, 1, "d"));

        next.Upserts.Columns.Should().BeSameAs(buffer);
        next.Upserts.Rows.Select(r => r[Layout.VersionOrdinal]).Should().Equal(6L, 7L);
    }

    [Fact]
    public void Pages_with_deletes_or_rows_built_as_objects_are_not_gathered()
    {
        var plain = Page(0, 2, "p");
        var withDelete = Page(2, 2, "d") with { Deletes = [Guid.NewGuid()] };
        var objects = new ChangePage(new RowBatch(Layout), [], SyncCursor.Next("https://org.example/next"));

        SeedGathering.CanGather(plain, withDelete).Should().BeFalse();
        SeedGathering.CanGather(withDelete, plain).Should().BeFalse();
        SeedGathering.CanGather(plain, objects).Should().BeFalse();
        SeedGathering.CanGather(plain, Page(4, 2, "q")).Should().BeTrue();
    }

    [Fact]
    public void Pages_are_held_only_while_the_source_keeps_up_the_rows_stay_under_the_limit_and_the_first_came_recently()
    {
        var gathering = new SeedGathering(rows: 10, _clock);
        var held = Page(0, 4, "a");
        gathering.Continues(held).Should().BeFalse("the first page of a read: nothing says the source is fast");

        _clock.Advance(TimeSpan.FromMilliseconds(300));
        held = Page(4, 4, "b");
        gathering.Continues(held).Should().BeFalse("it came 300 ms after the one before: the source sets the pace");

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        held = Page(8, 4, "c");
        gathering.Continues(held).Should().BeTrue("100 ms after the one before, 4 rows of 10");

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        held = gathering.Gather(held, Page(12, 4, "d"));
        gathering.Continues(held).Should().BeTrue("8 rows of 10, 100 ms since the first");

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        held = gathering.Gather(held, Page(16, 4, "e"));
        gathering.Continues(held).Should().BeFalse("12 rows: the limit of 10 is reached");

        held.Upserts.Dispose();
        held = Page(20, 1, "f");
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        gathering.Continues(held).Should().BeTrue();
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(200));
            held = gathering.Gather(held, Page(21 + i, 1, "g"));
            gathering.Continues(held).Should().Be(i < 4, $"{(i + 1) * 200} ms since the first page held, at most {SeedGathering.MaxWait.TotalMilliseconds} ms");
        }
    }

    private static (object?, object?, object?) Expected(int i) => (Id(i), i % 3 == 1 ? null : $"row {i} ✓", (long)i);

    private static Guid Id(int i) => new(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    /// <summary>A decoded page of <paramref name="count"/> rows from row <paramref name="from"/>: every third name null.</summary>
    private static ChangePage Page(int from, int count, string name)
    {
        var batch = RowBatch.Columnar(Layout, count);
        var cells = batch.Columns!;
        for (var i = from; i < from + count; i++)
        {
            var row = cells.StartRow();
            cells.SetGuid(row, Layout.IdOrdinal, Id(i));
            if (Expected(i).Item2 is string text)
            {
                cells.SetText(row, Layout.IndexOf("fullname"), System.Text.Encoding.UTF8.GetBytes(text));
            }

            cells.SetInt64(row, Layout.VersionOrdinal, i);
            cells.EndRow();
        }

        return new ChangePage(batch, [], SyncCursor.Next($"https://org.example/api/data/v9.2/contacts?$skiptoken={name}"));
    }
}
