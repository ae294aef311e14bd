using ReportingSync.Model;
using ReportingSync.Sql;

namespace ReportingSync.Tests.Sql;

public sealed class PageRowsTests
{
    private static readonly TableLayout Layout = TableLayout.Create(new EntitySchema
    {
        LogicalName = "contact",
        EntitySetName = "contacts",
        PrimaryIdAttribute = "contactid",
        Attributes =
        [
            new AttributeSchema { LogicalName = "contactid", Kind = AttributeKind.Uniqueidentifier },
            new AttributeSchema { LogicalName = "fullname", Kind = AttributeKind.String, MaxLength = 10 },
            new AttributeSchema { LogicalName = "versionnumber", Kind = AttributeKind.BigInt },
        ],
    });

    [Fact]
    public void A_page_without_duplicates_is_passed_through_as_it_is()
    {
        var batch = Batch((A, 1, "a"), (B, 1, "b"));

        PageRows.Deduplicate(batch, "contact").Should().BeSameAs(batch.Rows);
    }

    [Fact]
    public void Duplicates_keep_the_highest_version_and_the_later_row_among_equals()
    {
        var batch = Batch((A, 2, "a2"), (B, 1, "b1"), (A, 3, "a3"), (A, 1, "a1"), (B, 1, "b1 again"), (C, 5, "c"));

        PageRows.Deduplicate(batch, "contact").Select(r => r[1]).Should().Equal("a3", "b1 again", "c");
    }

    [Fact]
    public void A_missing_version_loses_to_any_version()
    {
        var batch = Batch((A, 1, "versioned"), (A, null, "unversioned"));

        PageRows.Deduplicate(batch, "contact").Select(r => r[1]).Should().Equal("versioned");
    }

    [Fact]
    public void Deletes_are_made_distinct_in_first_seen_order() =>
        PageRows.DistinctDeletes([B, A, B, C, A]).Should().Equal(B, A, C);

    [Theory]
    [InlineData("abc", 3, false)]
    [InlineData("abcd", 3, true)]
    [InlineData("😀😀😀", 3, false)]
    [InlineData("😀😀😀😀", 3, true)]
    public void Length_counts_characters_not_utf16_units(string value, int max, bool exceeds) =>
        ValueChecks.ExceedsCodePoints(value, max).Should().Be(exceeds);

    [Fact]
    public void Decimal_range_follows_numeric_38_p()
    {
        ValueChecks.ExceedsNumeric38(decimal.MaxValue, 4).Should().BeFalse();
        ValueChecks.ExceedsNumeric38(10_000_000_000_000_000_000_000_000_000m, 10).Should().BeTrue("29 digits before the point");
        ValueChecks.ExceedsNumeric38(-9_999_999_999_999_999_999_999_999_999m, 10).Should().BeFalse("28 digits fit");
        ValueChecks.ExceedsNumeric38(1e18m, 20).Should().BeTrue();
    }

    [Fact]
    public void Text_problems_are_found_without_false_alarms()
    {
        ValueChecks.TextProblem("plain 😀 שלום").Should().BeNull();
        ValueChecks.TextProblem("nul\0").Should().Contain("NUL");
        ValueChecks.TextProblem("lone \ud800 high").Should().Contain("surrogate");
        ValueChecks.TextProblem("lone \udc00 low").Should().Contain("surrogate");
        ValueChecks.TextProblem("ends high \ud83d").Should().Contain("surrogate");
    }

    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private static RowBatch Batch(params (Guid Id, long? Version, string Name)[] rows)
    {
        var batch = new RowBatch(Layout);
        foreach (var (id, version, name) in rows)
        {
            batch.Add([id, name, version]);
        }

        return batch;
    }
}
