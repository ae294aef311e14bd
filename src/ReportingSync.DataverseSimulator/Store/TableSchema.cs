using System.Collections.Frozen;
using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// A table's current definition plus how generated rows get values for each attribute. The generator for an
/// attribute keeps the definition the values were generated under, so after an alteration (e.g. String → Integer)
/// generated values are converted on read exactly like stored ones were.
/// </summary>
internal sealed class TableSchema(EntityDefinition definition, FrozenDictionary<string, ColumnGenerator> generators)
{
    public EntityDefinition Definition { get; } = definition;

    /// <summary>Attribute → generator; an attribute without one is null on generated rows.</summary>
    public FrozenDictionary<string, ColumnGenerator> Generators { get; } = generators;

    /// <summary>The source of the primary name attribute, for lookup display names; null when there is none.</summary>
    public ColumnSource? PrimaryName => _primaryName ??= Definition.PrimaryNameAttribute is { } name && Definition.Find(name) is { } attribute
        ? ColumnSource.For(this, attribute)
        : null;

    private ColumnSource? _primaryName;

    public static TableSchema Initial(EntityDefinition definition) => new(
        definition,
        definition.Attributes
            .Where(a => a.IsDataColumn)
            .ToFrozenDictionary(a => a.LogicalName, a => ColumnClassifier.For(definition, a), StringComparer.Ordinal));

    public TableSchema With(EntityDefinition definition, IDictionary<string, ColumnGenerator> generators) =>
        new(definition, generators.ToFrozenDictionary(StringComparer.Ordinal));
}
