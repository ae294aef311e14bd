using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// Dialect-neutral rules for <see cref="IReportingTarget.AlterTableAsync"/>: which steps are safe in place, which are
/// already done (so re-running a plan is harmless), and which must be refused.
/// </summary>
internal static class ColumnWidening
{
    /// <summary>
    /// Whether <paramref name="change"/> needs DDL given the column as it is now (<paramref name="current"/>, null when
    /// absent). Throws <see cref="ColumnChangeRejectedException"/> for a step that would lose data or touch the key or
    /// a sync column. <paramref name="lengthsEnforced"/> false (SQLite) makes every string-to-string step a no-op, as the
    /// database stores any length whatever a column declares.
    /// </summary>
    public static bool NeedsDdl(string table, TargetColumn? current, ColumnChange change, bool lengthsEnforced = true)
    {
        var column = change.Column;
        var name = column.Name;
        if (name == SyncColumns.Id || name == SyncColumns.Version || name == SyncColumns.SinkCreatedOn
            || name == SyncColumns.SinkModifiedOn || name == SyncColumns.IsDeleted)
        {
            throw new ColumnChangeRejectedException(table, name, "the key, the version and the sync columns are never altered.");
        }

        switch (change.Kind)
        {
            case ColumnChangeKind.Add:
                if (current is null)
                {
                    return true;
                }

                // Already there (a plan re-run after a crash): fine if it holds the same kind of value.
                if (current.Type != column.Type)
                {
                    throw new ColumnChangeRejectedException(table, name, $"the column exists as {current.DatabaseType}, not as {column.Type}.");
                }

                return false;
            case ColumnChangeKind.Drop:
                return current is not null;
            case ColumnChangeKind.Widen:
                if (current is null)
                {
                    throw new ColumnChangeRejectedException(table, name, "the column does not exist, so it cannot be widened.");
                }

                return (lengthsEnforced || current.Type != ColumnStorageType.String || column.Type != ColumnStorageType.String)
                       && Widens(table, current, column);
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Kind, null);
        }
    }

    /// <summary>
    /// Widens, in place, the columns of an existing table that <paramref name="layout"/> declares wider than the
    /// database has them (a longer string, more decimal places, bigint for int): Dataverse metadata allows those values
    /// now, so without this they would be refused by the database or quarantined. Only steps that cannot lose data are
    /// taken; a new, narrower or retyped column is the drift planner's decision and is left alone here. Not for SQLite,
    /// whose declared types do not limit values.
    /// </summary>
    public static async Task WidenInPlaceAsync(IReportingTarget target, TableLayout layout, CancellationToken cancellationToken)
    {
        var current = await target.GetTableColumnsAsync(layout.TableName, cancellationToken).ConfigureAwait(false);
        var changes = InPlace(layout, current);
        if (changes.Count > 0)
        {
            await target.AlterTableAsync(layout, changes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The Widen steps <see cref="WidenInPlaceAsync"/> takes for a table whose columns are <paramref name="current"/>.</summary>
    public static IReadOnlyList<ColumnChange> InPlace(TableLayout layout, IReadOnlyList<TargetColumn>? current)
    {
        var changes = new List<ColumnChange>();
        foreach (var column in layout.Columns.Where(c => c.Role is not ColumnRole.PrimaryId and not ColumnRole.Version))
        {
            var existing = current?.FirstOrDefault(c => c.Name == column.Name);
            if (existing is null)
            {
                continue;
            }

            var change = new ColumnChange(ColumnChangeKind.Widen, column);
            try
            {
                if (NeedsDdl(layout.TableName, existing, change))
                {
                    changes.Add(change);
                }
            }
            catch (ColumnChangeRejectedException)
            {
                // Narrower or another type: not safe in place; the drift planner owns that decision.
            }
        }

        return changes;
    }

    private static bool Widens(string table, TargetColumn current, TableColumn wanted)
    {
        var name = wanted.Name;
        switch (current.Type, wanted.Type)
        {
            case (ColumnStorageType.String, ColumnStorageType.String):
                if (current.MaxLength is null)
                {
                    return wanted.MaxLength is null
                        ? false
                        : throw new ColumnChangeRejectedException(table, name, $"{current.DatabaseType} is unbounded; a length limit of {wanted.MaxLength} could cut values.");
                }

                return wanted.MaxLength is null || wanted.MaxLength > current.MaxLength
                    ? true
                    : wanted.MaxLength == current.MaxLength
                        ? false
                        : throw new ColumnChangeRejectedException(table, name, $"{current.DatabaseType} would become shorter ({wanted.MaxLength}); values could be cut.");
            case (ColumnStorageType.Decimal, ColumnStorageType.Decimal):
                var have = current.Precision ?? 0;
                var want = wanted.Precision ?? 2;
                return want > have
                    ? true
                    : want == have
                        ? false
                        : throw new ColumnChangeRejectedException(table, name, $"{current.DatabaseType} would lose decimal places ({want} < {have}).");
            case (ColumnStorageType.Int32, ColumnStorageType.Int64):
                return true;
            case var (a, b) when a == b:
                return false;
            default:
                throw new ColumnChangeRejectedException(table, name, $"{current.DatabaseType} cannot become {wanted.Type} in place.");
        }
    }
}
