using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

/// <summary>
/// Money as Dataverse holds it (issue 18.2): MoneyAttributeMetadata.PrecisionSource picks the places a value carries (0
/// the attribute's Precision, 1 the organisation's pricing precision, 2 the currency's), values are stored and written
/// with 4 places, so a 2-place attribute can hold 92.3865.
/// </summary>
public sealed partial class MoneyPrecisionTests : SimulatorTests
{

    private protected override void Configure(SimulatorOptions options)
    {
        options.RowCounts["contact"] = 400;
        options.PricingDecimalPrecision = 1;
    }

    [Fact]
    public async Task Money_from_the_currency_precision_carries_four_places_in_a_two_place_attribute_and_is_written_with_four()
    {
        var values = Host.Store.Snapshot("contact").Select(c => c["creditlimit"]).OfType<decimal>().ToList();

        values.Should().NotBeEmpty().And.OnlyContain(v => v.Scale == MoneyPrecision.StorageScale);
        values.Should().Contain(v => decimal.Round(v, 2) != v, "the currency allows 4 places although Precision is 2");
        var text = await Client.GetStringAsync("contacts?$select=creditlimit&$filter=creditlimit ne null&$top=20");
        MoneyText().Matches(text).Should().HaveCount(20).And.OnlyContain(m => m.Groups[1].Value.Length == 4);
        (await Client.GetStringAsync("transactioncurrencies?$select=currencyprecision")).Should().Contain("\"currencyprecision\":4");
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 1)]
    [InlineData(2, 4)]
    public void Each_precision_source_decides_the_places_of_generated_values(int source, int places)
    {
        Host.Store.AddAttribute(
            "contact",
            new AttributeSpec { LogicalName = "dfeta_fee", Type = AttributeType.Money, Precision = 2, PrecisionSource = source },
            fillExistingRows: true);

        var values = Host.Store.Snapshot("contact").Select(c => c["dfeta_fee"]).OfType<decimal>().ToList();

        values.Should().NotBeEmpty().And.OnlyContain(v => decimal.Round(v, places) == v && v.Scale == 4);
        values.Should().Contain(v => decimal.Round(v, places - 1) != v, "some values use every place allowed");
    }

    [Fact]
    public async Task Precision_source_is_set_and_changed_through_theAdmin_API_and_shown_in_metadata()
    {
        var added = await AdminAsync(HttpMethod.Post, "/admin/schema/contact/attributes",
            new { attribute = new { logicalName = "dfeta_fee", type = "Money", precision = 2, precisionSource = 0 }, fillExistingRows = false });
        added.StatusCode.Should().Be(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        (await PrecisionSourceAsync("dfeta_fee")).Should().Be(0);

        (await AdminAsync(HttpMethod.Patch, "/admin/schema/contact/attributes/dfeta_fee", new { precisionSource = 1 })).EnsureSuccessStatusCode();
        (await PrecisionSourceAsync("dfeta_fee")).Should().Be(1);

        var refused = await AdminAsync(HttpMethod.Patch, "/admin/schema/contact/attributes/dfeta_fee", new { precisionSource = 3 });
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("PrecisionSource must be 0 (attribute Precision), 1 (organisation pricing precision) or 2 (currency precision); it is 3.");
    }

    [Fact]
    public void A_money_value_written_with_four_places_keeps_them()
    {
        var id = Host.Store.Snapshot("contact")[0].Id;

        Host.Store.Update("contact", id, new Dictionary<string, object?> { ["creditlimit"] = 92.3865m });

        Host.Store.Get("contact", id)!["creditlimit"].Should().Be(92.3865m);
    }

    private async Task<int?> PrecisionSourceAsync(string attribute)
    {
        var body = await Client.GetOkAsync(
            $"EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='{attribute}')/Microsoft.Dynamics.CRM.MoneyAttributeMetadata?$select=PrecisionSource");
        return body.GetProperty("PrecisionSource").GetInt32();
    }

    private async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object body)
    {
        return await Admin.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
    }

    [GeneratedRegex("\"creditlimit\":\\d+\\.(\\d+)")]
    private static partial Regex MoneyText();
}
