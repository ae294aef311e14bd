namespace ReportingSync.IntegrationTests.Support;

/// <summary>A clock tests set by hand (no Microsoft.Extensions.TimeProvider.Testing on this feed).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public DateTime UtcNow => _now.UtcDateTime;
}
