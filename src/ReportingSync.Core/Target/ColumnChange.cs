using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>One DDL step of a drift plan, applied by <see cref="IReportingTarget.AlterTableAsync"/>.</summary>
/// <param name="Column">The column as the new layout describes it (for Drop, the column being removed).</param>
public sealed record ColumnChange(ColumnChangeKind Kind, TableColumn Column);
