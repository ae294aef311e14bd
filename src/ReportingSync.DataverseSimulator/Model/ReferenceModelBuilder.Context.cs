namespace ReportingSync.DataverseSimulator.Model;

internal static partial class ReferenceModelBuilder
{
    /// <summary>What the column rules need to know about the table being built.</summary>
    private sealed record TableContext(
        string Entity,
        string EntitySchema,
        ReferenceData Data,
        Dictionary<string, string> SetNamesByLower,
        HashSet<string> TableNames,
        HashSet<string> Lookups)
    {
        public AttributeDefinition Attribute(string name, AttributeType type, int columnNumber) => new()
        {
            LogicalName = name,
            SchemaName = name.StartsWith("dfeta_", StringComparison.Ordinal) ? name : char.ToUpperInvariant(name[0]) + name[1..],
            Type = type,
            TypeName = AttributeTypeNames.For(type),
            MetadataId = MetadataIds.For("attribute", Entity + "." + name),
            ColumnNumber = columnNumber,
        };

        public OptionSetDefinition OptionSetFrom(string setName, bool isGlobal, OptionSetType type) => new(
            isGlobal ? setName : setName.ToLowerInvariant(),
            isGlobal,
            type,
            MetadataIds.For("optionset", setName.ToLowerInvariant()),
            [.. Data.OptionSets[setName].Select(o => new OptionDefinition(
                o.Value, o.Label, null, MetadataIds.For("label", setName.ToLowerInvariant() + ":" + o.Value)))]);

        public OptionSetDefinition StateOptions()
        {
            var name = Entity + "_statecode";
            if (SetNamesByLower.TryGetValue(name, out var fromFile) && Data.OptionSets[fromFile].Count > 0)
            {
                return OptionSetFrom(fromFile, isGlobal: false, OptionSetType.State);
            }

            return new OptionSetDefinition(name, false, OptionSetType.State, MetadataIds.For("optionset", name),
            [
                new OptionDefinition(0, "Active", null, MetadataIds.For("label", name + ":0")),
                new OptionDefinition(1, "Inactive", null, MetadataIds.For("label", name + ":1")),
            ]);
        }

        public OptionSetDefinition StatusOptions()
        {
            var name = Entity + "_statuscode";
            IEnumerable<ReferenceOption> options =
                SetNamesByLower.TryGetValue(name, out var fromFile) && Data.OptionSets[fromFile].Count > 0
                    ? Data.OptionSets[fromFile]
                    : [new ReferenceOption(1, "Active", 0), new ReferenceOption(2, "Inactive", 1)];
            return new OptionSetDefinition(name, false, OptionSetType.Status, MetadataIds.For("optionset", name),
                [.. options.Select(o => new OptionDefinition(
                    o.Value, o.Label, DesColumnRules.StateOfStatus(o.Value, o.Label), MetadataIds.For("label", name + ":" + o.Value)))]);
        }
    }
}
