using System.Globalization;
using System.Net.Http.Headers;

namespace ReportingSync.Dataverse;

/// <summary>The service-protection response headers: <c>Retry-After</c> and <c>x-ms-dop-hint</c>.</summary>
internal static class ProtectionHeaders
{
    /// <summary><c>Retry-After</c> as seconds or as an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? ReadRetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } typed)
        {
            if (typed.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (typed.Date is { } date)
            {
                var wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        // The typed parser accepts whole seconds only; be lenient with "1.5".
        if (headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    /// <summary><c>x-ms-dop-hint</c>: Dataverse's suggested degree of parallelism for this environment.</summary>
    public static int? ReadDopHint(HttpResponseHeaders headers) =>
        headers.TryGetValues("x-ms-dop-hint", out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var hint)
        && hint > 0
            ? hint
            : null;
}
