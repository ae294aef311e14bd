using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// Builds the rows of the metadata tables from Dataverse metadata, dialect-neutral. Only attributes that have a column
/// in the entity's layout are described (excluded columns stay out of the metadata too).
/// Rules: one row per option and language; the first label listed for an option is the user-localized one
/// (<c>IsUserLocalizedLabel</c>); a status option without a known state is recorded under state 0; a lookup target
/// among the synced entities gives its primary id attribute as <c>ReferencedAttribute</c>, any other target
/// <c>&lt;target&gt;id</c> (Dataverse's convention for all but a few system tables).
/// </summary>
internal static class MetadataRows
{
    public static IReadOnlyList<MetadataTableRows> Build(IReadOnlyList<(EntitySchema Schema, TableLayout Layout)> entities)
    {
        var primaryIds = entities.ToDictionary(e => e.Schema.LogicalName, e => e.Schema.PrimaryIdAttribute, StringComparer.OrdinalIgnoreCase);
        var local = new Rows(MetadataTables.OptionSets);
        var global = new Rows(MetadataTables.GlobalOptionSets);
        var states = new Rows(MetadataTables.States);
        var statuses = new Rows(MetadataTables.Statuses);
        var targets = new Rows(MetadataTables.Targets);
        var attributes = new Rows(MetadataTables.Attributes);
        var entityNames = new List<string>();
        var choiceNames = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var (schema, layout) in entities)
        {
            var entity = Identifier.Validate(schema.LogicalName, "entity");
            entityNames.Add(entity);
            foreach (var attribute in schema.Attributes.Where(a => a.LogicalName == schema.PrimaryIdAttribute || layout.Find(a.LogicalName) is not null))
            {
                var name = Identifier.Validate(attribute.LogicalName, $"attribute ({entity})");
                attributes.Add([entity, name, TypeName(attribute.Kind), TypeCode(attribute.Kind), null, null, NullIfEmpty(attribute.MetadataId), attribute.Precision, attribute.MaxLength]);
                if (attribute.Kind is AttributeKind.Picklist or AttributeKind.MultiSelectPicklist)
                {
                    choiceNames.Add(name);
                }

                foreach (var target in attribute.IsLookup ? attribute.Targets : [])
                {
                    var referenced = Identifier.Validate(target, $"lookup target ({entity}.{name})");
                    targets.Add([entity, name, referenced, primaryIds.TryGetValue(referenced, out var id) ? id : referenced + "id"]);
                }

                if (attribute.OptionSet is not { } set)
                {
                    continue;
                }

                foreach (var (option, isUser) in Labelled(set.Options))
                {
                    switch (attribute.Kind)
                    {
                        case AttributeKind.State:
                            states.Add([entity, option.Value, isUser, option.LanguageCode, option.Label]);
                            break;
                        case AttributeKind.Status:
                            statuses.Add([entity, option.State ?? 0, option.Value, isUser, option.LanguageCode, option.Label]);
                            break;
                        case AttributeKind.Picklist or AttributeKind.MultiSelectPicklist when set.IsGlobal:
                            global.Add([name, option.Value, isUser, option.LanguageCode, option.Label, Identifier.Validate(set.Name, $"option set ({entity}.{name})")]);
                            break;
                        case AttributeKind.Picklist or AttributeKind.MultiSelectPicklist:
                            local.Add([entity, name, option.Value, isUser, option.LanguageCode, option.Label]);
                            break;
                    }
                }
            }
        }

        return
        [
            local.Result(entityNames),
            global.Result(choiceNames.ToList()),
            states.Result(entityNames),
            statuses.Result(entityNames),
            targets.Result(entityNames),
            attributes.Result(entityNames),
        ];
    }

    /// <summary>Dataverse's AttributeType name (multi-select choices are Virtual in metadata).</summary>
    public static string TypeName(AttributeKind kind) => kind == AttributeKind.MultiSelectPicklist ? "Virtual" : kind.ToString();

    /// <summary>
    /// Dataverse's AttributeTypeCode numbers (learn.microsoft.com, Web API AttributeTypeCode EnumType): Boolean 0,
    /// Customer 1, DateTime 2, Decimal 3, Double 4, Integer 5, Lookup 6, Memo 7, Money 8, Owner 9, Picklist 11, State 12,
    /// Status 13, String 14, Uniqueidentifier 15, Virtual 17, BigInt 18, EntityName 20.
    /// </summary>
    public static int TypeCode(AttributeKind kind) => kind switch
    {
        AttributeKind.Boolean => 0,
        AttributeKind.Customer => 1,
        AttributeKind.DateTime => 2,
        AttributeKind.Decimal => 3,
        AttributeKind.Double => 4,
        AttributeKind.Integer => 5,
        AttributeKind.Lookup => 6,
        AttributeKind.Memo => 7,
        AttributeKind.Money => 8,
        AttributeKind.Owner => 9,
        AttributeKind.Picklist => 11,
        AttributeKind.State => 12,
        AttributeKind.Status => 13,
        AttributeKind.String => 14,
        AttributeKind.Uniqueidentifier => 15,
        AttributeKind.MultiSelectPicklist => 17,
        AttributeKind.BigInt => 18,
        AttributeKind.EntityName => 20,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Options with a flag for the first label of each value (the user-localized one).</summary>
    private static IEnumerable<(OptionSchema Option, bool IsUser)> Labelled(IReadOnlyList<OptionSchema> options)
    {
        var seen = new HashSet<int>();
        foreach (var option in options)
        {
            yield return (option, seen.Add(option.Value));
        }
    }

    private static Guid? NullIfEmpty(Guid id) => id == Guid.Empty ? null : id;

    /// <summary>Rows of one table, the first row for each match key kept (a global set used by several entities).</summary>
    private sealed class Rows(OwnedTable table)
    {
        private readonly int[] _key = table.MatchKey.Select(k => Ordinal(table, k)).ToArray();
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly List<object?[]> _rows = [];

        public void Add(object?[] row)
        {
            if (_seen.Add(MetadataDiff.Key(row, _key)))
            {
                _rows.Add(row);
            }
        }

        public MetadataTableRows Result(IReadOnlyList<string> scope) => new(table, scope, _rows);
    }

    /// <summary>Position of a column among <see cref="OwnedTable.Writable"/>.</summary>
    public static int Ordinal(OwnedTable table, string column)
    {
        for (var i = 0; i < table.Writable.Count; i++)
        {
            if (table.Writable[i].Name == column)
            {
                return i;
            }
        }

        throw new ArgumentException($"{table.Name} has no writable column {column}.", nameof(column));
    }
}
