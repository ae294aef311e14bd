using System.Globalization;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// A change-tracking token in the real format: <c>&lt;version&gt;!&lt;MM/dd/yyyy HH:mm:ss&gt;</c> (UTC), which links
/// carry escaped as <c>919042%2108%2f22%2f2017%2008%3a10%3a44</c>.
/// </summary>
internal readonly record struct DeltaToken(long Version, DateTimeOffset IssuedAt)
{
    private const string TimeFormat = "MM/dd/yyyy HH:mm:ss";

    public override string ToString() =>
        Version.ToString(CultureInfo.InvariantCulture) + "!" + IssuedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The escaped form used in a deltaLink.</summary>
    public string Encode() => PercentEncoding.EncodeLower(ToString());

    /// <summary>Parses an already-unescaped token; throws 400 (0x80040203) when it is not a token.</summary>
    public static DeltaToken Parse(string text)
    {
        var bang = text.IndexOf('!', StringComparison.Ordinal);
        if (bang > 0
            && long.TryParse(text.AsSpan(0, bang), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && DateTime.TryParseExact(text[(bang + 1)..], TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var issued))
        {
            return new DeltaToken(version, new DateTimeOffset(issued, TimeSpan.Zero));
        }

        throw new ODataException(400, ErrorCodes.InvalidArgument, $"The delta token '{text}' is not valid.");
    }
}
