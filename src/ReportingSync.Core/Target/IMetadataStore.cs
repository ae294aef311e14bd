using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>Analyst-facing metadata (Data Export Service compatible): label tables and the label views.</summary>
public interface IMetadataStore
{
    /// <summary>
    /// Brings OptionSetMetadata, GlobalOptionSetMetadata, StateMetadata, StatusMetadata, TargetMetadata and
    /// AttributeMetadata in line with these schemas (changed labels updated, removed options removed, nothing
    /// duplicated), and (re)creates each entity's <c>&lt;entity&gt;_labelled</c> view.
    /// </summary>
    Task SyncMetadataAsync(IReadOnlyList<(EntitySchema Schema, TableLayout Layout)> entities, CancellationToken cancellationToken);
}
