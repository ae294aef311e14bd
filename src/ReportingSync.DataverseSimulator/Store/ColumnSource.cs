using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// Where one attribute's values come from under a given schema: its generator (if generated rows have values) and
/// whether generated values need converting because the attribute was altered. Resolved once per page, not per cell.
/// </summary>
internal sealed class ColumnSource
{
    private ColumnSource(AttributeDefinition attribute, ColumnGenerator? generator)
    {
        Attribute = attribute;
        Generator = generator;
        NeedsConversion = generator is not null && ValueCoercion.NeedsConversion(generator.Definition, attribute);
        IsVersion = attribute.LogicalName == "versionnumber";
    }

    public AttributeDefinition Attribute { get; }

    public ColumnGenerator? Generator { get; }

    public bool NeedsConversion { get; }

    public bool IsVersion { get; }

    public static ColumnSource For(TableSchema schema, AttributeDefinition attribute) =>
        new(attribute, schema.Generators.GetValueOrDefault(attribute.LogicalName));
}
