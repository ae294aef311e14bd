using System.Data.SqlTypes;
using FluentAssertions;
using ReportingSync.Source;
using Xunit;

namespace ReportingSync.Tests.Source;

public sealed class IdRangeTests
{
    [Fact]
    public void Compare_orders_ids_as_sql_server_does()
    {
        var random = new Random(7);
        var ids = Enumerable.Range(0, 500).Select(_ => NewGuid(random)).ToList();

        var ours = ids.Order(Comparer<Guid>.Create(IdRange.Compare)).ToList();
        var sqlServer = ids.OrderBy(id => new SqlGuid(id)).ToList();

        ours.Should().Equal(sqlServer);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void Even_split_puts_every_id_in_exactly_one_range_and_balances_random_ids(int parts)
    {
        var ranges = IdRange.SplitEvenly(parts);
        var random = new Random(11);
        var counts = new int[parts];
        for (var i = 0; i < 40_000; i++)
        {
            var id = NewGuid(random);
            var holders = Enumerable.Range(0, parts).Where(p => ranges[p].Contains(id)).ToList();
            holders.Should().ContainSingle();
            counts[holders[0]]++;
        }

        counts.Should().OnlyContain(c => Math.Abs(c - (40_000 / parts)) < 40_000 / parts / 10);
        ranges[0].From.Should().BeNull();
        ranges[^1].To.Should().BeNull();
    }

    [Fact]
    public void Ranges_between_boundaries_are_contiguous_and_open_at_both_ends()
    {
        var b1 = Guid.Parse("00000000-0000-0000-0000-100000000000");
        var b2 = Guid.Parse("00000000-0000-0000-0000-200000000000");

        var ranges = IdRange.Between([b1, b2]);

        ranges.Should().Equal(new IdRange(null, b1), new IdRange(b1, b2), new IdRange(b2, null));
        ranges[1].Contains(b1).Should().BeTrue();
        ranges[1].Contains(b2).Should().BeFalse();
    }

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
