using ReportingSync.Hints;

namespace ReportingSync.Tests.Hints;

public sealed class ServiceBusSasTokenTests
{
    /// <summary>
    /// Microsoft publishes the algorithm (learn.microsoft.com/azure/service-bus-messaging/service-bus-sas, "Generate a
    /// Shared Access Signature token", C# sample: <c>HttpUtility.UrlEncode(resourceUri) + "\n" + expiry</c>, HMACSHA256
    /// keyed with <c>Encoding.UTF8.GetBytes(key)</c>, token <c>SharedAccessSignature sr=..&amp;sig=..&amp;se=..&amp;skn=..</c>)
    /// but no fixed input/output pair. The expected value below was computed independently of this code base with
    /// Python's hmac/hashlib/base64 and urllib quote_plus (escapes lower-cased as HttpUtility writes them).
    /// </summary>
    [Fact]
    public void Token_matches_the_documented_algorithm_for_a_known_input()
    {
        var token = ServiceBusSasToken.Create(
            "https://contoso.servicebus.windows.net/dataverse",
            "RootManageSharedAccessKey",
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=",
            DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        token.Should().Be(
            "SharedAccessSignature sr=https%3a%2f%2fcontoso.servicebus.windows.net%2fdataverse"
            + "&sig=oDU1yWCcKRGKOw80JZ9%2fG0w8K79dCREoRMNm1HisBA0%3d&se=1700000000&skn=RootManageSharedAccessKey");
    }

    [Fact]
    public void The_key_itself_never_appears_in_the_token()
    {
        const string key = "SuperSecretKeyValue0123456789==";
        var token = ServiceBusSasToken.Create("https://ns.servicebus.windows.net/q", "listen", key, DateTimeOffset.UnixEpoch.AddDays(20000));
        token.Should().NotContain(key).And.NotContain(Uri.EscapeDataString(key));
    }
}
