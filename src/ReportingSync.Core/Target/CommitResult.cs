namespace ReportingSync.Target;

/// <param name="RowsWritten">Rows inserted or updated (rows older than the stored version are not counted).</param>
/// <param name="RowsDeleted">Rows removed (or marked deleted).</param>
/// <param name="RowsQuarantined">Rows the table cannot hold (value out of range for its column), moved to the quarantine table with the reason.</param>
public readonly record struct CommitResult(long RowsWritten, long RowsDeleted, long RowsQuarantined = 0);
