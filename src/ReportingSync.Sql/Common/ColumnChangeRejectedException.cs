using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// An <see cref="IReportingTarget.AlterTableAsync"/> step that cannot be done in place without losing data (a shorter
/// string, fewer decimal places, a different kind of value) or that would touch the key or a sync column. Such a change
/// is a rebuild through a shadow re-seed, not an alter. Nothing of the alter was applied.
/// </summary>
public sealed class ColumnChangeRejectedException(string table, string column, string reason)
    : TargetException($"Table '{table}', column '{column}': {reason} Nothing was altered; this change needs a re-seed into a new table.")
{
    public string Table { get; } = table;
    public string Column { get; } = column;
    public override bool IsTransient => false;
}
