using System.Collections.Frozen;
using System.Collections.Immutable;
using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

internal sealed partial class SimulatorStore
{
    /// <summary>
    /// Adds an attribute. With <paramref name="fillExistingRows"/> the rows that exist get generated values for it
    /// (without a version change, as if the column had always been there); otherwise they read null.
    /// </summary>
    public AttributeDefinition AddAttribute(string entity, AttributeSpec spec, bool fillExistingRows)
    {
        var table = Require(entity);
        lock (_gate)
        {
            var schema = table.Schema;
            if (schema.Definition.Find(spec.LogicalName) is not null)
            {
                throw new InvalidOperationException($"Attribute '{entity}.{spec.LogicalName}' already exists.");
            }

            var attribute = AttributeFactory.Create(schema.Definition, spec);
            var definition = schema.Definition.WithAttributes(schema.Definition.Attributes.Add(attribute));
            var generators = new Dictionary<string, ColumnGenerator>(schema.Generators, StringComparer.Ordinal);
            if (fillExistingRows && attribute.IsDataColumn)
            {
                generators[attribute.LogicalName] = ColumnClassifier.For(definition, attribute);
            }

            SwapSchema(table, schema.With(definition, generators));
            return attribute;
        }
    }

    /// <summary>Changes MaxLength, Precision, behaviour or type; stored and generated values are converted.</summary>
    public AttributeDefinition AlterAttribute(string entity, string attribute, AttributeAlteration change)
    {
        var table = Require(entity);
        lock (_gate)
        {
            var schema = table.Schema;
            var current = RequireAttribute(schema.Definition, attribute);
            var altered = AttributeFactory.Alter(schema.Definition, current, change);
            ReplaceAttribute(table, current, altered);
            foreach (var (key, state) in table.Overrides)
            {
                if (state.Values.TryGetValue(attribute, out var value))
                {
                    table.Overrides[key] = state with { Values = state.Values.SetItem(attribute, ValueCoercion.Convert(value, altered)) };
                }
            }

            return altered;
        }
    }

    /// <summary>Removes an attribute and the attributes derived from it (its name, yominame, type).</summary>
    public void RemoveAttribute(string entity, string attribute)
    {
        var table = Require(entity);
        lock (_gate)
        {
            var schema = table.Schema;
            RequireAttribute(schema.Definition, attribute);
            var remaining = schema.Definition.Attributes.RemoveAll(a => a.LogicalName == attribute || a.AttributeOf == attribute);
            var generators = schema.Generators.Where(g => g.Key != attribute).ToDictionary(StringComparer.Ordinal);
            SwapSchema(table, schema.With(schema.Definition.WithAttributes(remaining), generators));
        }
    }

    /// <summary>Renames an option's label. For a global option set every attribute using it changes.</summary>
    public void RenameOptionLabel(string entity, string attribute, int value, string label) =>
        ChangeOptionSet(entity, attribute, set =>
        {
            var option = set.Find(value) ?? throw new KeyNotFoundException($"Option {value} does not exist in '{set.Name}'.");
            return set with { Options = set.Options.Replace(option, option with { Label = label }) };
        });

    /// <summary>Adds an option (status options take the state they belong to).</summary>
    public void AddOption(string entity, string attribute, int value, string label, int? state = null) =>
        ChangeOptionSet(entity, attribute, set =>
        {
            if (set.Find(value) is not null)
            {
                throw new InvalidOperationException($"Option {value} already exists in '{set.Name}'.");
            }

            var option = new OptionDefinition(
                value,
                label,
                set.Type == OptionSetType.Status ? state ?? DesColumnRules.StateOfStatus(value, label) : null,
                MetadataIds.For("label", set.Name.ToLowerInvariant() + ":" + value));
            return set with { Options = set.Options.Add(option) };
        });

    /// <summary>Turns change tracking on or off. Turning it back on expires every delta token issued before.</summary>
    public void SetChangeTracking(string entity, bool enabled)
    {
        var table = Require(entity);
        lock (_gate)
        {
            var schema = table.Schema;
            if (enabled && !schema.Definition.ChangeTrackingEnabled)
            {
                // A version of its own, so tokens issued from now on are valid and every earlier one is not.
                table.TrackingFloor = ++_version;
            }

            SwapSchema(table, schema.With(schema.Definition.WithChangeTracking(enabled), schema.Generators));
        }
    }

    /// <summary>Drops a table: its metadata and entity set disappear (404 from then on).</summary>
    public void RemoveEntity(string entity)
    {
        var table = Require(entity);
        lock (_gate)
        {
            _tables = _tables.Where(t => t.Key != entity).ToFrozenDictionary(StringComparer.Ordinal);
            _tablesBySet = _tablesBySet.Where(t => t.Value != table).ToFrozenDictionary(StringComparer.Ordinal);
            RecordSchemaChange(table.Schema.Definition, null);
        }
    }

    private void ChangeOptionSet(string entity, string attribute, Func<OptionSetDefinition, OptionSetDefinition> change)
    {
        var table = Require(entity);
        lock (_gate)
        {
            var current = RequireAttribute(table.Schema.Definition, attribute);
            var set = current.OptionSet ?? throw new InvalidOperationException($"'{entity}.{attribute}' has no option set.");
            var changed = change(set);
            if (!set.IsGlobal)
            {
                ReplaceAttribute(table, current, current with { OptionSet = changed });
                return;
            }

            foreach (var other in _tables.Values)
            {
                foreach (var a in other.Schema.Definition.Attributes.Where(a => a.OptionSet is { IsGlobal: true } s && s.Name == set.Name))
                {
                    ReplaceAttribute(other, a, a with { OptionSet = changed });
                }
            }
        }
    }

    private void ReplaceAttribute(TableData table, AttributeDefinition current, AttributeDefinition replacement)
    {
        var schema = table.Schema;
        var definition = schema.Definition.WithAttributes(schema.Definition.Attributes.Replace(current, replacement));
        SwapSchema(table, schema.With(definition, schema.Generators));
    }

    /// <summary>Every schema operation ends here, under the store lock: the new schema, and its record for metadata changes.</summary>
    private void SwapSchema(TableData table, TableSchema schema)
    {
        var before = table.Schema.Definition;
        table.Schema = schema;
        table.LastDelta = null;
        RecordSchemaChange(before, schema.Definition);
    }

    private static AttributeDefinition RequireAttribute(EntityDefinition entity, string attribute) =>
        entity.Find(attribute) ?? throw new KeyNotFoundException($"Table '{entity.LogicalName}' has no attribute '{attribute}'.");
}
