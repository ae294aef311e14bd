using ReportingSync.Model;
using ReportingSync.Tests.Dataverse.Support;

namespace ReportingSync.Tests.Dataverse.Changes;

/// <summary>
/// Issue 18.9: the <c>&lt;lookup&gt;yominame</c> columns used to be filled from the lookup's FormattedValue annotation, i.e.
/// with the display name. The Web API has no yomi name for a lookup, so they are NULL; the display name stays in
/// <c>&lt;lookup&gt;name</c>, and the target's own yomi attributes keep their values.
/// </summary>
public sealed class YomiNameColumnTests
{
    [Fact]
    public async Task Lookup_yomi_columns_are_null_while_name_columns_and_own_yomi_names_keep_their_values()
    {
        await using var dataverse = await SimulatedDataverse.StartAsync(o => o.RowCounts["contact"] = 400);
        var layout = await dataverse.LayoutAsync(
            "contact", "ownerid", "owneridname", "owneridyominame", "parentcustomerid", "parentcustomeridname", "parentcustomeridyominame",
            "fullname", "yomifullname");

        var rows = (await dataverse.ReadToDeltaLinkAsync(layout)).Pages.SelectMany(p => p.Upserts.Rows).ToList();
        var owner = layout.IndexOf("owneridyominame");
        var customer = layout.IndexOf("parentcustomeridyominame");
        var ownerName = layout.IndexOf("owneridname");
        var yomi = layout.IndexOf("yomifullname");
        layout.Columns[owner].Role.Should().Be(ColumnRole.LookupYomiName);
        rows.Should().HaveCount(400);
        rows.Select(r => r[owner]).Concat(rows.Select(r => r[customer])).Should().OnlyContain(v => v == null);
        rows.Select(r => r[ownerName]).Should().OnlyContain(v => v is string);
        var stored = dataverse.Host.Store.Snapshot("contact").ToDictionary(r => r.Id);
        rows.Select(r => r[yomi]).Should().Equal(rows.Select(r => stored[(Guid)r[0]!]["yomifullname"]));
        rows.Select(r => r[yomi]).Should().Contain(v => v != null);
    }
}
