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

    public static LayoutOptions Default { get; } = new();
}
