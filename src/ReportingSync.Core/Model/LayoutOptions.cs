namespace ReportingSync.Model;

/// <summary>Options that shape every replicated table.</summary>
public sealed record LayoutOptions
{
    public SchemaCompatibility Compatibility { get; init; } = SchemaCompatibility.Standard;

    /// <summary>When true, deletes set <c>IsDeleted</c> instead of removing the row.</summary>
    public bool SoftDeletes { get; init; }

    /// <summary>
    /// Whether the entity gets its <c>&lt;entity&gt;_labelled</c> view (when the target has label views on). Default true.
    /// Not part of the fingerprint: a view is not the table's shape.
    /// </summary>
    public bool LabelView { get; init; } = true;

    /// <summary>
    /// Whether every version of a row is kept in <c>&lt;table&gt;_history</c>, written in the page's transaction. Not part
    /// of the fingerprint: the history table is beside the table, not its shape.
    /// </summary>
    public bool History { get; init; }

    /// <summary>How long closed history versions are kept; null keeps them for ever. Not part of the fingerprint.</summary>
    public TimeSpan? HistoryRetention { get; init; }

    public static LayoutOptions Default { get; } = new();
}
