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

        if (row.State is { } state && state.Values.TryGetValue(attribute.LogicalName, out var explicitValue))
        {
            // Generated lookups already carry the target's current name; stored ones are resolved now.
            return explicitValue is LookupValue stored ? WithCurrentName(stored) : explicitValue;
        }

        if (row.GenIndex < 0 || source.Generator is not { } generator)
        {
            return null;
        }

        var value = Generator.Generate(table.Schema.Definition, generator, row.GenIndex);
        return value is not null && source.NeedsConversion ? ValueCoercion.Convert(value, attribute) : value;
    }

    /// <summary>The primary name of a row as it is now (null when the table isn't served or the row is gone).</summary>
    internal string? PrimaryNameOf(string entity, Guid id)
    {
        if (_tables.GetValueOrDefault(entity) is not { } table)
        {
            return null;
        }

        return table.Find(SqlGuidOrder.ToKey(id)) is { } row ? NameOf(table, row) : null;
    }

    /// <summary>A row's current primary name; generated names of unchanged rows are cached.</summary>
    private string? NameOf(TableData table, in RowRef row)
    {
        var schema = table.Schema;
        if (schema.PrimaryName is not { } source)
        {
            return null;
        }

        if (row.State is not null || row.BaseIndex < 0)
        {
            return Read(table, row, source) as string;
        }

        // Most lookups point at a few rows (owners, creators): remember their generated names.
        var slot = row.BaseIndex & (table.NameCache.Length - 1);
        if (table.NameCache[slot] is { } cached && cached.Index == row.BaseIndex && ReferenceEquals(cached.Schema, schema))
        {
            return cached.Name;
        }

        var name = Read(table, row, source) as string;
        table.NameCache[slot] = new CachedName(row.BaseIndex, schema, name);
        return name;
    }

    private LookupValue WithCurrentName(LookupValue lookup)
    {
        var name = PrimaryNameOf(lookup.LogicalName, lookup.Id) ?? lookup.Name;
        return name == lookup.Name ? lookup : lookup with { Name = name };
    }
}
