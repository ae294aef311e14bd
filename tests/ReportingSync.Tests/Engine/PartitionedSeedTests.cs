using FluentAssertions;
using ReportingSync.Engine;
using ReportingSync.Model;
using ReportingSync.Source;
using Xunit;

namespace ReportingSync.Tests.Engine;

public sealed class PartitionedSeedTests
{
    [Fact]
    public void Ranges_cut_at_equal_row_counts_cover_every_id_once()
    {
        var random = new Random(3);
        // Skewed ids (sequential-looking: the most significant bytes barely vary) must still split evenly.
        var ids = Enumerable.Range(0, 20_000).Select(i => SequentialLike(random, i)).ToList();

        var ranges = EntitySyncAgent.Partition([.. ids], 8);

        ranges.Should().HaveCount(8);
        var perRange = ranges.Select(r => ids.Count(r.Contains)).ToList();
        perRange.Sum().Should().Be(ids.Count);
        perRange.Should().OnlyContain(n => n == 2_500);
    }

    [Fact]
    public void Small_tables_get_fewer_ranges_than_asked_for()
    {
        var ids = Enumerable.Range(0, 2_500).Select(_ => Guid.NewGuid()).ToList();

        EntitySyncAgent.Partition(ids, 8).Should().HaveCount(2, "a range should hold at least about 1,000 rows");
    }

    [Fact]
    public void The_rest_of_the_key_space_starts_at_the_frontier_and_stays_open_at_the_top()
    {
        var random = new Random(5);
        var ids = Enumerable.Range(0, 8_000).Select(i => SequentialLike(random, i)).ToList();
        ids.Sort(IdRange.Compare);
        var frontier = ids[3_000];
        var rest = ids.Skip(3_000).ToList();

        var ranges = EntitySyncAgent.Partition([.. rest], 4, frontier);

        ranges.Should().HaveCount(4);
        ranges[0].From.Should().Be(frontier);
        ranges[^1].To.Should().BeNull();
        ranges.Zip(ranges.Skip(1)).Should().OnlyContain(pair => pair.First.To == pair.Second.From, "the ranges must tile the rest");
        rest.Select(id => ranges.Count(r => r.Contains(id))).Should().OnlyContain(n => n == 1);
        ranges.Select(r => rest.Count(r.Contains)).Should().OnlyContain(n => n == 1_250);
        ids.Take(3_000).Should().NotContain(id => ranges.Any(r => r.Contains(id)), "ids below the frontier are in ranges planned before");
    }

    [Fact]
    public void An_empty_rest_is_still_one_open_range_so_nothing_is_left_unread()
    {
        var frontier = Guid.Parse("00000000-0000-0000-0000-400000000000");

        var ranges = EntitySyncAgent.Partition([], 8, frontier);

        ranges.Should().Equal(new IdRange(frontier, null));
    }

    [Fact]
    public void Planning_appends_ranges_and_records_where_the_keys_read_stands()
    {
        var boundary = Guid.Parse("00000000-0000-0000-0000-400000000000");
        var first = ParallelSeedProgress.NotStarted.Plan([new IdRange(null, boundary)], "https://org/keys?$skiptoken=2", boundary, null);
        var last = first.Plan([new IdRange(boundary, null)], null, null, "https://org/contacts?$deltatoken=9");

        first.Planned.Should().BeFalse();
        first.Done.Should().BeFalse("a seed whose keys read is not over is never done, even with every planned range read");
        first.With(0, first.Ranges[0] with { Done = true }).Done.Should().BeFalse();
        first.Should().Be(ParallelSeedProgress.NotStarted.Plan([new IdRange(null, boundary)], "https://org/keys?$skiptoken=2", boundary, null), "progress compares by value");
        last.Ranges.Select(p => p.Range).Should().Equal(new IdRange(null, boundary), new IdRange(boundary, null));
        last.Planned.Should().BeTrue();
        last.KeysNext.Should().BeNull();
        last.With(0, last.Ranges[0] with { Done = true }).With(1, last.Ranges[1] with { Done = true }).Done.Should().BeTrue();
    }

    private static Guid SequentialLike(Random random, int i)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes[..10]);
        BitConverter.TryWriteBytes(bytes[10..14], i);
        return new Guid(bytes);
    }
}
