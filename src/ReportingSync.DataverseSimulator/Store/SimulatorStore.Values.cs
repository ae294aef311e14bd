using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

internal sealed partial class SimulatorStore
{
    /// <summary>
    /// The current value of one attribute of a row: explicit values first, then the generated value (converted when
    /// the attribute was altered since). Lookups carry the target row's current primary name.
    /// </summary>
    internal object? GetValue(TableData table, TableSchema schema, in RowRef row, AttributeDefinition attribute) =>
        Read(table, row, ColumnSource.For(schema, attribute));

    /// <summary>The hot path of <see cref="GetValue"/>, with the attribute's source resolved up front.</summary>
    internal object? Read(TableData table, in RowRef row, ColumnSource source)
    {
        var attribute = source.Attribute;
        if (attribute.IsPrimaryId)
        {
            return row.Id;
        }

        if (source.IsVersion)
        {
            return VersionOf(table, row);
        }

        object? value;
        if (row.State is { } state && state.Values.TryGetValue(attribute.LogicalName, out var explicitValue))
        {
            value = explicitValue;
        }
        else if (row.GenIndex >= 0 && source.Generator is { } generator)
        {
            value = Generator.Generate(table.Schema.Definition, generator, row.GenIndex);
            if (value is not null && source.NeedsConversion)
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
        if (_tables.GetValueOrDefault(entity) is not { } table || table.Schema.PrimaryName is not { } source)
        {
            return null;
        }

        var row = table.Find(SqlGuidOrder.ToKey(id));
        return row is { } r ? Read(table, r, source) as string : null;
    }

    private LookupValue WithCurrentName(LookupValue lookup)
    {
        var name = PrimaryNameOf(lookup.LogicalName, lookup.Id) ?? lookup.Name;
        return name == lookup.Name ? lookup : lookup with { Name = name };
    }
}
