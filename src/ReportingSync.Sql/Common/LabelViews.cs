using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// Dialect-neutral planning of the analyst views <c>&lt;entity&gt;_labelled</c>: every column of the entity table, plus
/// <c>&lt;column&gt;_label</c> for each Picklist, State and Status column, joined (LEFT JOIN, so a value without a label still
/// shows) to the metadata tables in the configured language. Multi-select choices hold several values and get no label.
/// A label column whose name would collide with a table column, or exceed the dialect's identifier length, is left
/// out rather than renamed.
/// </summary>
internal static class LabelViews
{
    public const string ViewSuffix = "_labelled";
    public const string LabelSuffix = "_label";

    public static string ViewName(TableLayout layout) => layout.EntityName + ViewSuffix;

    /// <summary>Label columns from the entity's metadata (exact: each choice knows whether its option set is global).</summary>
    public static IReadOnlyList<LabelColumn> FromSchema(EntitySchema schema, TableLayout layout, int maxIdentifierLength) =>
        Plan(layout, maxIdentifierLength, column =>
        {
            var set = schema.FindAttribute(column.AttributeName)?.OptionSet;
            return set is { IsGlobal: true } ? (LabelSource.GlobalOptionSet, set.Name) : (LabelSource.OptionSet, null);
        });

    /// <summary>
    /// Label columns when only the layout is at hand (after a swap or an alter): a choice with rows in OptionSetMetadata
    /// for this entity is local; otherwise one with rows in GlobalOptionSetMetadata is global (the alphabetically first
    /// set if several entities use the same attribute name for different global sets); otherwise local (no labels yet).
    /// </summary>
    public static IReadOnlyList<LabelColumn> FromStoredMetadata(
        TableLayout layout, int maxIdentifierLength, IReadOnlySet<string> localOptionSets, IReadOnlyDictionary<string, string> globalOptionSets) =>
        Plan(layout, maxIdentifierLength, column =>
            !localOptionSets.Contains(column.Name) && globalOptionSets.TryGetValue(column.Name, out var global)
                ? (LabelSource.GlobalOptionSet, global)
                : (LabelSource.OptionSet, null));

    /// <summary>Names of the layout's Picklist columns (whose source table is looked up in the stored metadata).</summary>
    public static IReadOnlyList<string> PicklistColumns(TableLayout layout) =>
        layout.Columns.Where(c => c.Role == ColumnRole.Value && c.SourceKind == AttributeKind.Picklist).Select(c => c.Name).ToList();

    private static IReadOnlyList<LabelColumn> Plan(
        TableLayout layout, int maxIdentifierLength, Func<TableColumn, (LabelSource Source, string? Global)> picklist)
    {
        var taken = new HashSet<string>(layout.Columns.Select(c => c.Name), StringComparer.OrdinalIgnoreCase)
        {
            SyncColumns.SinkCreatedOn,
            SyncColumns.SinkModifiedOn,
            SyncColumns.IsDeleted,
        };
        var result = new List<LabelColumn>();
        foreach (var column in layout.Columns.Where(c => c.Role == ColumnRole.Value))
        {
            LabelColumn? label = column.SourceKind switch
            {
                AttributeKind.State => new LabelColumn(column.Name, LabelSource.State),
                AttributeKind.Status => new LabelColumn(column.Name, LabelSource.Status),
                AttributeKind.Picklist => picklist(column) is var (source, global) ? new LabelColumn(column.Name, source, global) : null,
                _ => null,
            };
            if (label is not null && label.Alias.Length <= maxIdentifierLength && taken.Add(label.Alias))
            {
                result.Add(label);
            }
        }

        return result;
    }
}
