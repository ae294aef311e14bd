namespace ReportingSync.Sql;

internal static class UtcDateTime
{
    /// <summary>
    /// The model's DateTimes are UTC. Unspecified kinds are taken as UTC (that is what they hold); local ones are
    /// converted, so a caller's mistake shifts nothing silently by the server's or the worker's time zone.
    /// </summary>
    public static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    public static DateTime? AsUtc(DateTime? value) => value is { } v ? AsUtc(v) : null;
}
