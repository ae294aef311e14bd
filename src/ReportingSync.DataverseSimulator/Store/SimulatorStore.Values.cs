using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

internal sealed partial class SimulatorStore
{
    /// <summary>
    /// The current value of one attribute of a row: explicit values first, then the generated value (converted when
    /// the attribute was altered since). Lookups carry the target row's current primary name.
    /// </summary>
    internal object? GetValue(TableData table, TableSchema schema, in RowRef row, AttributeDefinition attribute)
    {
        if (attribute.IsPrimaryId)
        {
            return row.Id;
        }

        if (attribute.LogicalName == "versionnumber")
        {
            return VersionOf(table, row);
        }

        object? value;
        if (row.State is { } state && state.Values.TryGetValue(attribute.LogicalName, out var explicitValue))
        {
            value = explicitValue;
        }
        else if (row.GenIndex >= 0 && schema.Generators.TryGetValue(attribute.LogicalName, out var generator))
        {
            value = Generator.Generate(schema.Definition, generator, row.GenIndex);
            if (value is not null && ValueCoercion.NeedsConversion(generator.Definition, attribute))
            {
                value = ValueCoercion.Convert(value, attribute);
            }
        }
        else
        {
            return null;
        }

        return value is LookupValue lookup ? WithCurrentName(lookup) : value;
    }

    /// <summary>The primary name of a row as it is now (null when the table isn't served or the row is gone).</summary>
    internal string? PrimaryNameOf(string entity, Guid id)
    {
        var table = _tables.GetValueOrDefault(entity);
        var schema = table?.Schema;
        if (table is null || schema!.Definition.PrimaryNameAttribute is not { } nameAttribute
            || schema.Definition.Find(nameAttribute) is not { } attribute)
        {
            return null;
        }

        var row = table.Find(SqlGuidOrder.ToKey(id));
        return row is { } r ? GetValue(table, schema, r, attribute) as string : null;
    }

    private LookupValue WithCurrentName(LookupValue lookup)
    {
        if (!_tables.ContainsKey(lookup.LogicalName))
        {
            return lookup;
        }

        var name = PrimaryNameOf(lookup.LogicalName, lookup.Id);
        return name == lookup.Name ? lookup : lookup with { Name = name };
    }
}
