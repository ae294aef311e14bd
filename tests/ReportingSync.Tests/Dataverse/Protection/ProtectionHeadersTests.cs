using System.Net.Http.Headers;
using ReportingSync.Dataverse;

namespace ReportingSync.Tests.Dataverse.Protection;

public sealed class ProtectionHeadersTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static HttpResponseHeaders Headers(string name, string value)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation(name, value);
        return response.Headers;
    }

    [Theory]
    [InlineData("2", 2.0)]
    [InlineData("0", 0.0)]
    [InlineData("1.5", 1.5)]
    [InlineData("Sat, 01 Mar 2025 12:00:07 GMT", 7.0)]
    [InlineData("Sat, 01 Mar 2025 11:59:00 GMT", 0.0)]
    public void Retry_After_is_read_as_seconds_or_as_an_HTTP_date(string value, double seconds) =>
        ProtectionHeaders.ReadRetryAfter(Headers("Retry-After", value), Now).Should().Be(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("soon")]
    [InlineData("-3")]
    public void An_unreadable_Retry_After_counts_as_absent(string value) =>
        ProtectionHeaders.ReadRetryAfter(Headers("Retry-After", value), Now).Should().BeNull();

    [Theory]
    [InlineData("4", 4)]
    [InlineData("0", null)]
    [InlineData("x", null)]
    public void The_dop_hint_is_a_positive_integer(string value, int? hint) =>
        ProtectionHeaders.ReadDopHint(Headers("x-ms-dop-hint", value)).Should().Be(hint);
}
