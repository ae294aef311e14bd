using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Engine.Drift;

/// <summary>
/// Compares the layout that fresh metadata implies with the table the target has, and decides per column, under the
/// entity's <see cref="DriftPolicy"/>. Pure: no I/O, so every case is a unit test.
/// </summary>
public static class DriftPlanner
{
    public static DriftPlan Plan(EntitySchema schema, ColumnSelection selection, LayoutOptions options, IReadOnlyList<TargetColumn> existing, DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(policy);

        var fresh = TableLayout.Create(schema, selection, options);
        var byName = existing.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var steps = new List<DriftStep>();
        var ignoredAttributes = new HashSet<string>(StringComparer.Ordinal);

        foreach (var column in fresh.Columns)
        {
            if (!byName.TryGetValue(column.Name, out var current))
            {
                var step = PlanNew(column, policy);
                steps.Add(step);
                if (step.Action == DriftAction.IgnoreNew)
                {
                    ignoredAttributes.Add(column.AttributeName);
                }

                continue;
            }

            if (PlanChanged(column, current, policy) is { } changed)
            {
                steps.Add(changed);
                if (changed.Action is DriftAction.Rebuild or DriftAction.Fail)
                {
                    // The live table keeps its old column until the rebuilt table is swapped in; writing the new type
                    // into it would fail every page, so the live layout leaves the attribute out meanwhile.
                    ignoredAttributes.Add(column.AttributeName);
                }
            }
        }

        var freshNames = fresh.Columns.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var column in existing)
        {
            if (freshNames.Contains(column.Name) || IsManaged(column.Name))
            {
                continue;
            }

            steps.Add(policy.RemovedColumns == RemovedColumnPolicy.Drop
                ? new DriftStep(DriftAction.DropColumn, column.Name, null, column, "the attribute is gone from the source; RemovedColumns is Drop")
                : new DriftStep(DriftAction.KeepRemoved, column.Name, null, column, "the attribute is gone from the source; RemovedColumns is Keep"));
        }

        // An ignored or not-yet-rebuilt attribute must not reach the live layout, or commits would write a column the
        // table does not have (or has with another type).
        var layout = ignoredAttributes.Count == 0
            ? fresh
            : TableLayout.Create(schema, selection with { Exclude = [.. selection.Exclude, .. ignoredAttributes] }, options);
        return new DriftPlan(schema.LogicalName, layout, steps);
    }

    private static DriftStep PlanNew(TableColumn column, DriftPolicy policy) => policy.NewColumns switch
    {
        NewColumnPolicy.Evolve => new DriftStep(DriftAction.AddColumn, column.Name, column, null, $"new attribute {column.AttributeName}"),
        NewColumnPolicy.Ignore => new DriftStep(DriftAction.IgnoreNew, column.Name, column, null, "NewColumns is Ignore"),
        _ => new DriftStep(DriftAction.Fail, column.Name, column, null, $"is a new attribute and NewColumns is Fail"),
    };

    private static DriftStep? PlanChanged(TableColumn desired, TargetColumn current, DriftPolicy policy)
    {
        if (current.Type == desired.Type)
        {
            return Wider(desired, current) is { } reason
                ? new DriftStep(DriftAction.Widen, desired.Name, desired, current, reason)
                : null;
        }

        if (current.Type == ColumnStorageType.Int32 && desired.Type == ColumnStorageType.Int64)
        {
            return new DriftStep(DriftAction.Widen, desired.Name, desired, current, "integer became big integer");
        }

        var change = $"changed type from {current.DatabaseType} to {desired.Type}";
        return policy.TypeChanges == TypeChangePolicy.Rebuild
            ? new DriftStep(DriftAction.Rebuild, desired.Name, desired, current, change)
            : new DriftStep(DriftAction.Fail, desired.Name, desired, current, change + " and TypeChanges is Fail");
    }

    /// <summary>Why the column must grow, or null when it already holds every value the source can send.</summary>
    private static string? Wider(TableColumn desired, TargetColumn current) => desired.Type switch
    {
        ColumnStorageType.String when current.MaxLength is { } have && (desired.MaxLength is null || desired.MaxLength > have) =>
            $"MaxLength {have} → {(desired.MaxLength is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "max")}",
        ColumnStorageType.Decimal when (desired.Precision ?? 0) > (current.Precision ?? 0) =>
            $"precision {current.Precision ?? 0} → {desired.Precision}",
        _ => null,
    };

    private static bool IsManaged(string name) =>
        name.Equals(SyncColumns.SinkCreatedOn, StringComparison.OrdinalIgnoreCase)
        || name.Equals(SyncColumns.SinkModifiedOn, StringComparison.OrdinalIgnoreCase)
        || name.Equals(SyncColumns.IsDeleted, StringComparison.OrdinalIgnoreCase);
}
