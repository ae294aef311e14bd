using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Engine.Drift;

/// <summary>Reads fresh metadata and the table as it is, and plans the drift between them for one entity.</summary>
public sealed class DriftInspector(IChangeSource source, ITableStore target)
{
    /// <summary>The plan, or null when the table does not exist yet (the seed will create it from fresh metadata).</summary>
    public async Task<DriftPlan?> PlanAsync(EntitySchema schema, EntityOptions entity, LayoutOptions layoutOptions, DriftPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(entity);
        var tableName = TableLayout.Create(schema, entity.ToSelection(), layoutOptions).TableName;
        var columns = await target.GetTableColumnsAsync(tableName, cancellationToken).ConfigureAwait(false);
        // A table without its key column is one another replica is creating right now (the catalog can show the table
        // a moment before its columns): nothing to plan against yet.
        if (columns is null || !columns.Any(c => string.Equals(c.Name, SyncColumns.Id, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return DriftPlanner.Plan(schema, entity.ToSelection(), layoutOptions, columns, policy);
    }

    public async Task<DriftPlan?> PlanAsync(EntityOptions entity, LayoutOptions layoutOptions, DriftPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var schema = await source.GetEntitySchemaAsync(entity.Name, cancellationToken).ConfigureAwait(false);
        return await PlanAsync(schema, entity, layoutOptions, policy, cancellationToken).ConfigureAwait(false);
    }
}
