using System.Globalization;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Engine.Drift;

/// <summary>One planned action: the column, what the source says, what the table has, and why.</summary>
/// <param name="Desired">The column as fresh metadata describes it (null for a removed attribute).</param>
/// <param name="Existing">The column as the table has it (null for a new attribute).</param>
public sealed record DriftStep(DriftAction Action, string ColumnName, TableColumn? Desired, TargetColumn? Existing, string Reason)
{
    /// <summary>The DDL this step needs, if any.</summary>
    public ColumnChange? ToColumnChange() => Action switch
    {
        DriftAction.AddColumn => new ColumnChange(ColumnChangeKind.Add, Desired!),
        DriftAction.Widen => new ColumnChange(ColumnChangeKind.Widen, Desired!),
        DriftAction.DropColumn => new ColumnChange(
            ColumnChangeKind.Drop,
            new TableColumn(ColumnName, Existing!.Type ?? ColumnStorageType.String, ColumnRole.Value, ColumnName)),
        _ => null,
    };

    public override string ToString() => Action switch
    {
        DriftAction.AddColumn => $"add column {ColumnName} {Describe(Desired)} and backfill it ({Reason})",
        DriftAction.Widen => $"widen {ColumnName} from {Existing!.DatabaseType} to {Describe(Desired)} ({Reason})",
        DriftAction.DropColumn => $"drop column {ColumnName} ({Reason})",
        DriftAction.KeepRemoved => $"keep column {ColumnName}, NULL from now on ({Reason})",
        DriftAction.IgnoreNew => $"ignore new attribute {ColumnName} ({Reason})",
        DriftAction.Rebuild => $"rebuild the table through a shadow re-seed: {ColumnName} {Reason}",
        _ => $"fail: {ColumnName} {Reason}",
    };

    /// <summary>
    /// What changed in the source, without the policy or the action: <c>new attribute string(120)</c>,
    /// <c>MaxLength 100 → 400</c>, <c>precision 2 → 4</c>, <c>type String → Int32</c> or <c>attribute removed</c>.
    /// </summary>
    public string DescribeChange() => (Desired, Existing) switch
    {
        (null, _) => "attribute removed",
        ({ } desired, null) => $"new attribute {Describe(desired)}",
        ({ } desired, { } existing) when existing.Type == desired.Type => desired.Type switch
        {
            ColumnStorageType.String => $"MaxLength {Length(existing.MaxLength)} → {Length(desired.MaxLength)}",
            ColumnStorageType.Decimal => string.Create(CultureInfo.InvariantCulture, $"precision {existing.Precision ?? 0} → {desired.Precision ?? 0}"),
            var t => $"type {t}",
        },

        // A type the replicator never creates has no storage type; the database's own name still says what it was.
        ({ } desired, { } existing) => $"type {existing.Type?.ToString() ?? existing.DatabaseType} → {desired.Type}",
    };

    private static string Length(int? maxLength) => maxLength?.ToString(CultureInfo.InvariantCulture) ?? "max";

    private static string Describe(TableColumn? column) => column is null
        ? "?"
        : column.Type switch
        {
            ColumnStorageType.String => column.MaxLength is { } n ? $"string({n})" : "string(max)",
            ColumnStorageType.Decimal => $"decimal(p{column.Precision ?? 0})",
            var t => t.ToString().ToLowerInvariant(),
        };
}
