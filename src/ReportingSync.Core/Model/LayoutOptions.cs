namespace ReportingSync.Model;

/// <summary>Options that shape every replicated table.</summary>
public sealed record LayoutOptions
{
    public SchemaCompatibility Compatibility { get; init; } = SchemaCompatibility.Standard;

    /// <summary>When true, deletes set <c>IsDeleted</c> instead of removing the row.</summary>
    public bool SoftDeletes { get; init; }

    public static LayoutOptions Default { get; } = new();
}
