using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Generation;

/// <summary>
/// How one attribute's values are generated: the kind of value, the salt that makes its stream independent of every
/// other attribute's, and the share of rows left null.
/// </summary>
internal sealed class ColumnGenerator(AttributeDefinition definition, ValueKind kind, double nullRate)
{
    public AttributeDefinition Definition { get; } = definition;

    public ValueKind Kind { get; } = kind;

    public double NullRate { get; } = nullRate;

    public ulong Salt { get; } = StableHash.Of(definition.LogicalName);
}
