using FluentAssertions;
using ReportingSync.Engine;
using ReportingSync.Engine.Seeding;
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
    public void Progress_round_trips_through_the_stored_cursor()
    {
        var progress = new PartitionedSeedProgress("https://org/api/data/v9.2/contacts?$deltatoken=1%212", [
            new PartitionProgress(null, Guid.Parse("00000000-0000-0000-0000-400000000000"), "https://org/next?$skiptoken=a%20b", false),
            new PartitionProgress(Guid.Parse("00000000-0000-0000-0000-400000000000"), null, null, true),
        ]);

        var cursor = progress.ToCursor();
        var back = PartitionedSeedProgress.FromCursor(cursor);

        cursor.Kind.Should().Be(CursorKind.Partitioned);
        back.Token.Should().Be(progress.Token);
        back.Partitions.Should().Equal(progress.Partitions);
        back.Done.Should().BeFalse();
        back.With(0, back.Partitions[0] with { Next = null, Done = true }).Done.Should().BeTrue();
    }

    [Fact]
    public void A_damaged_progress_record_is_reported_not_guessed()
    {
        var act = () => PartitionedSeedProgress.FromCursor(new SyncCursor(CursorKind.Partitioned, "{not json"));

        act.Should().Throw<InvalidDataException>().WithMessage("*progress record*");
    }

    private static Guid SequentialLike(Random random, int i)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes[..10]);
        BitConverter.TryWriteBytes(bytes[10..14], i);
        return new Guid(bytes);
    }
}
