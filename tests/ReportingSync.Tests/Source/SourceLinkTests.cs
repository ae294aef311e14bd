using ReportingSync.Source;

namespace ReportingSync.Tests.Source;

public sealed class SourceLinkTests
{
    private const string Tail =
        "/api/data/v9.2/contacts?$select=fullname,_parentcustomerid_value&$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44" +
        "&$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253ccookie%2520page%253d%25221%2522%253e%253ccontactid" +
        "%2520last%253d%2522%257bB1E4A2F0-0C1D-4E3F-9A7B-5D2E8F6A4C31%257d%2522%2520%252f%253e%253c%252fcookie%253e%22" +
        "%20istracking=%22True%22%20/%3E&odd=%2F%2f%7e'%20+";

    [Theory]
    [InlineData("http://127.0.0.1:41234", "http://127.0.0.1:41999/", "http://127.0.0.1:41999")]
    [InlineData("https://dqt.crm11.dynamics.com", "https://dqt-renamed.crm11.dynamics.com", "https://dqt-renamed.crm11.dynamics.com")]
    [InlineData("https://dqt.crm11.dynamics.com:443", "https://alias.example.org:8443/ignored/path?x=1", "https://alias.example.org:8443")]
    public void Rebasing_replaces_scheme_and_authority_and_keeps_path_and_query_byte_for_byte(string oldOrigin, string organizationUrl, string newOrigin)
    {
        var rebased = SourceLink.Rebase(oldOrigin + Tail, new Uri(organizationUrl));

        rebased.Should().Be(newOrigin + Tail);
        SourceLink.IsOn(rebased, new Uri(organizationUrl)).Should().BeTrue();
    }

    [Fact]
    public void A_link_without_a_path_is_rebased_too_and_nothing_is_decoded()
    {
        SourceLink.Rebase("https://old.example.com?$deltatoken=1%212", new Uri("https://new.example.com")).Should().Be("https://new.example.com?$deltatoken=1%212");
        SourceLink.Rebase("HTTPS://OLD.example.com", new Uri("https://new.example.com")).Should().Be("https://new.example.com");
    }

    [Theory]
    [InlineData("/api/data/v9.2/contacts?$deltatoken=1")]
    [InlineData("file:///api/data/v9.2/contacts")]
    [InlineData("https:///api/data")]
    [InlineData("not a link")]
    public void A_link_that_is_not_an_absolute_http_URL_is_not_rebased(string link)
    {
        var act = () => SourceLink.Rebase(link, new Uri("https://new.example.com"));

        act.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/api/data/v9.2/x", true)]
    [InlineData("HTTP://127.0.0.1:5000/api/data/v9.2/x", true)]
    [InlineData("http://127.0.0.1:5001/api/data/v9.2/x", false)]
    [InlineData("https://127.0.0.1:5000/api/data/v9.2/x", false)]
    [InlineData("http://localhost:5000/api/data/v9.2/x", false)]
    [InlineData("/api/data/v9.2/x", false)]
    public void A_link_is_on_the_organisation_when_scheme_host_and_port_match(string link, bool expected)
    {
        SourceLink.IsOn(link, new Uri("http://127.0.0.1:5000/")).Should().Be(expected);
    }
}
