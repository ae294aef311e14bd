using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// One row holds a value its column cannot store as it is (too long for varchar(n), a NUL character PostgreSQL
/// rejects, a number out of range, a value of the wrong CLR type). The page is not written: storing a truncated or
/// altered value silently would be worse. The message names table, column and row id but never the value (it may
/// be personal data).
/// </summary>
public sealed class RowRejectedException(string table, string column, Guid? rowId, string reason, Exception? inner = null)
    : TargetException(
        $"Table '{table}', column '{column}', row {(rowId is { } id ? $"'{id:D}'" : "(no id)")}: {reason} Nothing from this page was written.",
        inner)
{
    public string Table { get; } = table;
    public string Column { get; } = column;
    public Guid? RowId { get; } = rowId;
    public string Reason { get; } = reason;
    public override bool IsTransient => false;
}
