using System.Collections.Immutable;

namespace ReportingSync.DataverseSimulator.Model;

/// <summary>Turns an <see cref="AttributeSpec"/> or an alteration into a complete <see cref="AttributeDefinition"/>.</summary>
internal static class AttributeFactory
{
    public static AttributeDefinition Create(EntityDefinition entity, AttributeSpec spec)
    {
        var name = spec.LogicalName;
        var typeName = spec.MultiSelect ? AttributeTypeNames.MultiSelectPicklist : AttributeTypeNames.For(spec.Type);
        var definition = new AttributeDefinition
        {
            LogicalName = name,
            SchemaName = spec.SchemaName ?? name,
            Type = spec.MultiSelect ? AttributeType.Virtual : spec.Type,
            TypeName = typeName,
            MetadataId = MetadataIds.For("attribute", entity.LogicalName + "." + name),
            ColumnNumber = entity.Attributes.Length == 0 ? 0 : entity.Attributes.Max(a => a.ColumnNumber) + 1,
            IsValidForRead = spec.IsValidForRead,
        };
        var created = WithTypeDetails(entity, definition, spec.Type, spec.MultiSelect, spec.MaxLength, spec.Precision, spec.Behavior,
            spec.Targets, spec.Options, spec.OptionSetName, spec.IsGlobalOptionSet);
        return created.Type == AttributeType.Money
            ? created with { PrecisionSource = CheckedSource(spec.PrecisionSource) ?? MoneyPrecision.DefaultSource }
            : created;
    }

    private static int? CheckedSource(int? source) => source is null or (>= 0 and <= 2)
        ? source
        : throw new ArgumentException($"PrecisionSource must be 0 (attribute Precision), 1 (organisation pricing precision) or 2 (currency precision); it is {source}.");

    public static AttributeDefinition Alter(EntityDefinition entity, AttributeDefinition current, AttributeAlteration change)
    {
        if (change.Type is { } type && type != current.Type)
        {
            var reset = current with
            {
                Type = type,
                TypeName = AttributeTypeNames.For(type),
                MaxLength = null,
                Precision = null,
                MinValue = null,
                MaxValue = null,
                Behavior = null,
                OptionSet = null,
                Targets = [],
            };
            var retyped = WithTypeDetails(entity, reset, type, false, change.MaxLength, change.Precision, change.Behavior,
                null, change.Options, null, false);
            return type == AttributeType.Money
                ? retyped with { PrecisionSource = CheckedSource(change.PrecisionSource) ?? MoneyPrecision.DefaultSource }
                : retyped with { PrecisionSource = null };
        }

        return current with
        {
            MaxLength = change.MaxLength ?? current.MaxLength,
            Precision = change.Precision ?? current.Precision,
            PrecisionSource = current.Type == AttributeType.Money ? CheckedSource(change.PrecisionSource) ?? current.PrecisionSource : current.PrecisionSource,
            Behavior = change.Behavior ?? current.Behavior,
        };
    }

    private static AttributeDefinition WithTypeDetails(
        EntityDefinition entity,
        AttributeDefinition definition,
        AttributeType type,
        bool multiSelect,
        int? maxLength,
        int? precision,
        DateTimeBehavior? behavior,
        IReadOnlyList<string>? targets,
        IReadOnlyList<OptionSpec>? options,
        string? optionSetName,
        bool isGlobal)
    {
        var name = definition.LogicalName;
        if (multiSelect || type is AttributeType.Picklist or AttributeType.State or AttributeType.Status)
        {
            var setName = optionSetName ?? entity.LogicalName + "_" + name;
            var setType = type switch
            {
                AttributeType.State => OptionSetType.State,
                AttributeType.Status => OptionSetType.Status,
                _ => OptionSetType.Picklist,
            };
            var set = new OptionSetDefinition(setName, isGlobal, setType, MetadataIds.For("optionset", setName.ToLowerInvariant()),
                [.. (options ?? []).Select(o => new OptionDefinition(o.Value, o.Label,
                    type == AttributeType.Status ? o.State ?? DesColumnRules.StateOfStatus(o.Value, o.Label) : null,
                    MetadataIds.For("label", setName.ToLowerInvariant() + ":" + o.Value)))]);
            return definition with { OptionSet = set };
        }

        return type switch
        {
            AttributeType.String => definition with { MaxLength = maxLength ?? 100 },
            AttributeType.Memo => definition with { MaxLength = maxLength ?? 2000 },
            AttributeType.Integer => definition with { MinValue = int.MinValue, MaxValue = int.MaxValue },
            AttributeType.BigInt => definition with { MinValue = long.MinValue, MaxValue = long.MaxValue },
            AttributeType.Decimal => definition with { Precision = precision ?? 2, MinValue = -100000000000m, MaxValue = 100000000000m },
            AttributeType.Money => definition with { Precision = precision ?? 2, MinValue = -922337203685477m, MaxValue = 922337203685477m },
            AttributeType.Double => definition with { Precision = precision ?? 5, MinValue = -100000000000m, MaxValue = 100000000000m },
            AttributeType.DateTime => definition with { Behavior = behavior ?? DateTimeBehavior.UserLocal },
            AttributeType.Boolean => definition with
            {
                OptionSet = new OptionSetDefinition(entity.LogicalName + "_" + name, false, OptionSetType.Boolean,
                    MetadataIds.For("optionset", entity.LogicalName + "_" + name),
                    [
                        new OptionDefinition(0, "No", null, MetadataIds.For("label", entity.LogicalName + "_" + name + ":0")),
                        new OptionDefinition(1, "Yes", null, MetadataIds.For("label", entity.LogicalName + "_" + name + ":1")),
                    ]),
            },
            AttributeType.Lookup or AttributeType.Customer or AttributeType.Owner => definition with
            {
                Targets = targets is { Count: > 0 } ? [.. targets] : ImmutableArray.Create(
                    LookupTargets.For(entity.LogicalName, name, type, ReferenceData.Shared.Tables.Select(t => t.Key).ToHashSet())),
            },
            _ => definition,
        };
    }
}
