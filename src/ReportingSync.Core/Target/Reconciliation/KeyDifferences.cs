namespace ReportingSync.Target;

/// <summary>
/// What the database found comparing staged source keys with the table: exact counts per kind, and the first
/// <c>limit</c> differing rows (by id) to re-check.
/// </summary>
public sealed record KeyDifferences(long SourceRows, long TargetRows, long Missing, long Extra, long Stale, IReadOnlyList<ReconciliationFinding> Suspects)
{
    public long Total => Missing + Extra + Stale;
}
