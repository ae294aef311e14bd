using System.Collections.Immutable;

namespace ReportingSync.DataverseSimulator.Model;

/// <summary>A local or global option set with its options in display order.</summary>
internal sealed record OptionSetDefinition(
    string Name,
    bool IsGlobal,
    OptionSetType Type,
    Guid MetadataId,
    ImmutableArray<OptionDefinition> Options)
{
    public OptionDefinition? Find(int value)
    {
        foreach (var option in Options)
        {
            if (option.Value == value)
            {
                return option;
            }
        }

        return null;
    }
}
