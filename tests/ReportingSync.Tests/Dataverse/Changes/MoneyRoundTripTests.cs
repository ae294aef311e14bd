using ReportingSync.Model;
using ReportingSync.Tests.Dataverse.Support;

namespace ReportingSync.Tests.Dataverse.Changes;

/// <summary>
/// Issue 18.2 end to end on the source side: money read through the client, with the PrecisionSource from metadata, fits
/// the Standard layout's column exactly (92.3865 stays 92.3865), while the Des layout keeps DES's decimal(38, Precision)
/// and so rounds some values, as the Data Export Service did.
/// </summary>
public sealed class MoneyRoundTripTests
{
    [Fact]
    public async Task Every_money_value_fits_its_Standard_column_exactly_and_Des_rounds_as_documented()
    {
        await using var dataverse = await SimulatedDataverse.StartAsync(o => o.RowCounts["contact"] = 300);
        var schema = await dataverse.Source.GetEntitySchemaAsync("contact", CancellationToken.None);
        var standard = TableLayout.Create(schema, new ColumnSelection { Include = ["creditlimit", "annualincome"] });
        var des = TableLayout.Create(schema, new ColumnSelection { Include = ["creditlimit", "annualincome"] }, new LayoutOptions { Compatibility = SchemaCompatibility.Des });

        var rows = (await dataverse.ReadToDeltaLinkAsync(standard)).Pages.SelectMany(p => p.Upserts.Rows).ToList();

        schema.FindAttribute("creditlimit")!.PrecisionSource.Should().Be(MoneyPrecisionSource.Currency);
        schema.FindAttribute("creditlimit")!.Precision.Should().Be(2);
        var stored = dataverse.Host.Store.Snapshot("contact").ToDictionary(r => r.Id);
        foreach (var name in (string[])["creditlimit", "annualincome"])
        {
            var ordinal = standard.IndexOf(name);
            var values = rows.Select(r => (Id: (Guid)r[0]!, Value: r[ordinal] as decimal?)).Where(v => v.Value is not null).ToList();
            values.Should().NotBeEmpty();
            values.Should().OnlyContain(v => v.Value == (decimal?)stored[v.Id][name], "the client passes every place through");
            values.Should().OnlyContain(v => decimal.Round(v.Value!.Value, standard.Find(name)!.Precision!.Value) == v.Value, "Standard holds every value");
            values.Should().Contain(v => decimal.Round(v.Value!.Value, des.Find(name)!.Precision!.Value) != v.Value, "DES's decimal(38,2) rounds some");
        }
    }
}
