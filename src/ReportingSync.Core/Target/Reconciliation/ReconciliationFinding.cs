namespace ReportingSync.Target;

/// <summary>One row that differs (a row of <c>reportingsync.ReconciliationFinding</c>).</summary>
/// <param name="SourceVersion">The source's versionnumber; null when the row is not in the source.</param>
/// <param name="TargetVersion">The target's versionnumber; null when the row is not in the target.</param>
/// <param name="ColumnName">
/// For <see cref="FindingKind.ColumnDiff"/>: the first column that differs; for a row held in the quarantine table: the
/// column that could not hold its value.
/// </param>
public sealed record ReconciliationFinding(
    Guid RecordId, FindingKind Kind, long? SourceVersion, long? TargetVersion, string? ColumnName = null)
{
    public long RunId { get; init; }

    public string EntityName { get; init; } = "";
}
