using ReportingSync.Dataverse;

namespace ReportingSync.Tests.Dataverse.Changes;

public sealed class DeltaLinkSelectTests
{
    private const string Link = "https://org.crm11.dynamics.com/api/data/v9.2/contacts?$select=fullname,oldcolumn,versionnumber&$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44";

    [Fact]
    public void Replaces_only_the_select_value_and_keeps_the_token_byte_for_byte()
    {
        DeltaLinkSelect.Rebase(Link, "fullname,newcolumn,versionnumber").Should().Be(
            "https://org.crm11.dynamics.com/api/data/v9.2/contacts?$select=fullname,newcolumn,versionnumber&$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44");
    }

    [Fact]
    public void An_unchanged_select_returns_the_same_link()
    {
        DeltaLinkSelect.Rebase(Link, "fullname,oldcolumn,versionnumber").Should().BeSameAs(Link);
    }

    [Theory]
    [InlineData("https://org/api/data/v9.2/contacts?$deltatoken=1%2101", "https://org/api/data/v9.2/contacts?$deltatoken=1%2101")]
    [InlineData("https://org/api/data/v9.2/contacts?$deltatoken=1&$select=a", "https://org/api/data/v9.2/contacts?$deltatoken=1&$select=b,c")]
    public void Works_wherever_select_sits_and_leaves_links_without_one_alone(string link, string expected)
    {
        DeltaLinkSelect.Rebase(link, "b,c").Should().Be(expected);
    }
}
