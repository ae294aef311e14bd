using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Generation;

/// <summary>
/// How one attribute's values are generated: the kind of value, the salts that make its stream independent of every
/// other table's and attribute's, and the share of rows left null. Built once per schema, used for every cell.
/// </summary>
internal sealed class ColumnGenerator
{
    private int[][]? _statusByState;

    public ColumnGenerator(string entity, AttributeDefinition definition, ValueKind kind, double nullRate)
    {
        Definition = definition;
        Kind = kind;
        NullRate = nullRate;
        NullThreshold = nullRate <= 0 ? 0 : nullRate >= 1 ? ulong.MaxValue : (ulong)(nullRate * 18446744073709551616.0);
        EntitySalt = StableHash.Of(entity);
        Salt = StableHash.Of(definition.LogicalName);
    }

    public AttributeDefinition Definition { get; }

    public ValueKind Kind { get; }

    public double NullRate { get; }

    /// <summary>A cell is null when its first draw is below this (<see cref="NullRate"/> scaled to 64 bits).</summary>
    public ulong NullThreshold { get; }

    public ulong EntitySalt { get; }

    public ulong Salt { get; }

    /// <summary>Status values that belong to a state (all options when none does), computed once.</summary>
    public int[] StatusChoices(int state)
    {
        _statusByState ??= BuildStatusChoices();
        return state < _statusByState.Length ? _statusByState[state] : _statusByState[0];
    }

    private int[][] BuildStatusChoices()
    {
        var options = Definition.OptionSet?.Options ?? [];
        var states = new int[2][];
        for (var state = 0; state < states.Length; state++)
        {
            var matching = options.Where(o => o.State == state).Select(o => o.Value).ToArray();
            states[state] = matching.Length > 0 ? matching : options.Take(1).Select(o => o.Value).ToArray();
        }

        return states;
    }
}
