namespace ReportingSync.Target;

/// <param name="RowsWritten">Rows inserted or updated (rows older than the stored version are not counted).</param>
/// <param name="RowsDeleted">Rows removed (or marked deleted).</param>
public readonly record struct CommitResult(long RowsWritten, long RowsDeleted);
