using ReportingSync.Engine.Reconciliation;
using ReportingSync.Model;

namespace ReportingSync.Tests.Engine.Reconciliation;

/// <summary>
/// Deep reconciliation compares money at the precision the source stores (4 places): a replica that rounded 92.3865 to
/// 92.39 lost data, and used to pass because both sides were rounded to the column's scale first (issue 18.2).
/// </summary>
public sealed class ValueComparisonTests
{
    private static TableColumn Money(int? scale) =>
        new("dfeta_fee", ColumnStorageType.Decimal, ColumnRole.Value, "dfeta_fee") { Precision = scale, SourceKind = AttributeKind.Money };

    private static TableColumn Decimal(int scale) =>
        new("exchangerate", ColumnStorageType.Decimal, ColumnRole.Value, "exchangerate") { Precision = scale, SourceKind = AttributeKind.Decimal };

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(null)]
    public void A_money_value_rounded_by_the_replica_is_a_difference_in_Standard_whatever_the_column_says(int? scale)
    {
        ValueComparison.AreEqual(Money(scale), 92.3865m, 92.39m, SchemaCompatibility.Standard).Should().BeFalse();
        ValueComparison.AreEqual(Money(scale), 92.3865m, 92.3865m, SchemaCompatibility.Standard).Should().BeTrue();
        ValueComparison.AreEqual(Money(scale), 92.3900m, 92.39m, SchemaCompatibility.Standard).Should().BeTrue("trailing zeros are no difference");
    }

    [Fact]
    public void Des_rounds_money_to_the_column_scale_as_the_Data_Export_Service_did_so_that_is_no_difference()
    {
        ValueComparison.AreEqual(Money(2), 92.3865m, 92.39m, SchemaCompatibility.Des).Should().BeTrue();
        ValueComparison.AreEqual(Money(2), 92.3865m, 92.38m, SchemaCompatibility.Des).Should().BeFalse();
    }

    [Fact]
    public void Decimals_are_still_compared_at_their_column_scale()
    {
        ValueComparison.AreEqual(Decimal(2), 1.234m, 1.23m, SchemaCompatibility.Standard).Should().BeTrue();
        ValueComparison.AreEqual(Decimal(2), 1.236m, 1.23m, SchemaCompatibility.Standard).Should().BeFalse();
    }

    [Fact]
    public void The_first_different_column_of_a_row_is_named()
    {
        var layout = TableLayout.Create(new EntitySchema
        {
            LogicalName = "dfeta_induction",
            EntitySetName = "dfeta_inductions",
            PrimaryIdAttribute = "dfeta_inductionid",
            Attributes =
            [
                new() { LogicalName = "dfeta_inductionid", Kind = AttributeKind.Uniqueidentifier },
                new() { LogicalName = "versionnumber", Kind = AttributeKind.BigInt },
                new() { LogicalName = "dfeta_fee", Kind = AttributeKind.Money, Precision = 2 },
            ],
        });
        var id = Guid.NewGuid();

        ValueComparison.FirstDifference(layout, [id, 7L, 92.3865m], [id, 7L, 92.39m]).Should().Be("dfeta_fee");
        ValueComparison.FirstDifference(layout, [id, 7L, 92.3865m], [id, 7L, 92.3865m]).Should().BeNull();
    }
}
