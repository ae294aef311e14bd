using ReportingSync.Target;
using ReportingSync.Model;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>
/// Compares a source row (as the client decoded it) with a target row (as the target read it back), column by column,
/// after normalising what the storage legitimately changes: the target's time precision (PostgreSQL keeps
/// microseconds, SQL Server's DES <c>datetime</c> 1/300 s), decimals rounded to the column's scale, and float noise.
/// Money is compared at the source's precision (the 4 places Dataverse stores), not the column's: a Standard column
/// that rounds 92.3865 to 92.39 loses data and must show up. Only <see cref="SchemaCompatibility.Des"/> rounds money to
/// the column's scale, the documented Data Export Service behaviour.
/// Everything else must be equal, so a value the mapping got wrong shows up.
/// </summary>
internal static class ValueComparison
{
    /// <summary>The name of the first column that differs, or null when the rows are equal.</summary>
    public static string? FirstDifference(TableLayout layout, object?[] source, object?[] target)
    {
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            if (!AreEqual(layout.Columns[i], source[i], target[i], layout.Options.Compatibility))
            {
                return layout.Columns[i].Name;
            }
        }

        return null;
    }

    public static bool AreEqual(TableColumn column, object? source, object? target, SchemaCompatibility compatibility)
    {
        if (source is null || target is null)
        {
            return source is null && target is null;
        }

        return (source, target) switch
        {
            (DateTime s, DateTime t) => Math.Abs((s - t).Ticks) < (compatibility == SchemaCompatibility.Des ? TimeSpan.TicksPerMillisecond * 4 : TimeSpan.TicksPerMillisecond),
            (DateTime s, DateOnly t) => DateOnly.FromDateTime(s) == t,
            (decimal s, decimal t) => ComparedScale(column, compatibility) is { } scale ? decimal.Round(s, Math.Min(scale, 28)) == decimal.Round(t, Math.Min(scale, 28)) : s == t,
            (double s, double t) => s.Equals(t) || Math.Abs(s - t) <= 1e-12 * Math.Max(Math.Abs(s), Math.Abs(t)),
            (double s, decimal t) => Math.Abs((decimal)s - t) <= (column.Precision is { } p ? 0.5m * (decimal)Math.Pow(10, -p) : 0m),
            (string s, string t) => string.Equals(s, t, StringComparison.Ordinal),
            _ => source.Equals(target),
        };
    }

    /// <summary>The decimal places two values must agree on; null compares them exactly.</summary>
    private static int? ComparedScale(TableColumn column, SchemaCompatibility compatibility) =>
        column.SourceKind == AttributeKind.Money && compatibility != SchemaCompatibility.Des
            ? Math.Max(column.Precision ?? 0, TableLayout.StoredMoneyScale)
            : column.Precision;
}
