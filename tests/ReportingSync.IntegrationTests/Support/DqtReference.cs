using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReportingSync.Model;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// The real DQT reporting schema (<c>dqt-reporting-tables.json</c>: 55 tables, 3507 columns with their SQL Server types,
/// as the Data Export Service created them) and its option sets (<c>dqt-option-sets.json</c>), read from the copies
/// embedded in the simulator assembly, turned back into Dataverse metadata (<see cref="EntitySchema"/>s) by the rules
/// the simulator's model documents (DesColumnRules), evaluated per table in column order:
/// <list type="number">
/// <item><c>Id</c> → the primary id attribute <c>&lt;entity&gt;id</c>, Uniqueidentifier, at Id's position.</item>
/// <item><c>X_entitytype</c> where X is a uniqueidentifier column → no attribute; it makes X a lookup.</item>
/// <item>uniqueidentifier X with an <c>X_entitytype</c> → <c>ownerid</c>: Owner (systemuser, team);
/// <c>customerid</c>/<c>parentcustomerid</c>: Customer (account, contact); otherwise Lookup (target: a small known map,
/// else the name without its trailing "id"; targets only feed TargetMetadata and are not compared with anything).</item>
/// <item>any other uniqueidentifier → Uniqueidentifier.</item>
/// <item>nvarchar <c>Xname</c> / <c>Xyominame</c> of a lookup X → String (MaxLength n, unbounded for max), AttributeOf X.</item>
/// <item>nvarchar(4000) <c>Xtype</c> of a lookup X → EntityName, AttributeOf X.</item>
/// <item>nvarchar(max) → Memo; nvarchar(n) → String(n).</item>
/// <item>int <c>statecode</c> → State (0 Active, 1 Inactive: the JSON has no state sets); <c>statuscode</c> → Status
/// (<c>&lt;Entity&gt;_StatusCode</c>, else 1 Active / 2 Inactive; an option's state: 1 → 0, 2 → 1, others 0 unless the
/// label says inactive); an int with a local set <c>&lt;Entity&gt;_&lt;attribute&gt;</c> (case-insensitive) → Picklist (local);
/// an int named like a global set (lower-cased) → Picklist (global); any other int → Integer.</item>
/// <item>bigint → BigInt; bit → Boolean.</item>
/// <item>datetime → DateTime: name ending in "update" → TimeZoneIndependent, in "date" → DateOnly, else UserLocal.</item>
/// <item>decimal(38, p) → Double for *latitude/*longitude, Money for *_base and money words, else Decimal; Precision p.</item>
/// </list>
/// Option labels are English (1033). Metadata ids are derived from names, so generated output is stable.
/// </summary>
public static class DqtReference
{
    private static readonly Lazy<IReadOnlyList<(string Table, IReadOnlyList<(string Name, string Type)> Columns)>> LazyTables = new(ReadTables);
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<(int Value, string Label)>>> LazyOptionSets = new(ReadOptionSets);

    private static readonly string[] MoneyWords = ["revenue", "creditlimit", "aging30", "aging60", "aging90", "annualincome", "marketcap", "price", "amount", "cost"];

    private static readonly Dictionary<string, string> KnownTargets = new(StringComparer.Ordinal)
    {
        ["createdby"] = "systemuser",
        ["modifiedby"] = "systemuser",
        ["createdonbehalfby"] = "systemuser",
        ["modifiedonbehalfby"] = "systemuser",
        ["owninguser"] = "systemuser",
        ["owningteam"] = "team",
        ["owningbusinessunit"] = "businessunit",
        ["transactioncurrencyid"] = "transactioncurrency",
        ["dfeta_personid"] = "contact",
    };

    /// <summary>Every table with its columns (name, SQL Server type as the JSON spells it), in file order.</summary>
    public static IReadOnlyList<(string Table, IReadOnlyList<(string Name, string Type)> Columns)> Tables => LazyTables.Value;

    /// <summary>Option sets by name (local ones are &lt;Entity&gt;_&lt;Attribute&gt;, global ones bare).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(int Value, string Label)>> OptionSets => LazyOptionSets.Value;

    public static IReadOnlyList<EntitySchema> Schemas(Func<string, OptionSetSchema, OptionSetSchema>? alterOptionSet = null) =>
        Tables.Select(t => Schema(t.Table, alterOptionSet)).ToList();

    public static EntitySchema Schema(string table, Func<string, OptionSetSchema, OptionSetSchema>? alterOptionSet = null)
    {
        var columns = Tables.Single(t => t.Table == table).Columns;
        var types = columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var lookups = columns
            .Where(c => c.Type == "uniqueidentifier" && types.ContainsKey(c.Name + SyncColumns.EntityTypeSuffix))
            .Select(c => c.Name)
            .ToHashSet(StringComparer.Ordinal);
        var attributes = new List<AttributeSchema>();
        foreach (var (name, type) in columns)
        {
            if (name == SyncColumns.Id)
            {
                attributes.Add(Attribute(table, table + "id", AttributeKind.Uniqueidentifier));
                continue;
            }

            if (name.EndsWith(SyncColumns.EntityTypeSuffix, StringComparison.Ordinal) && lookups.Contains(name[..^SyncColumns.EntityTypeSuffix.Length]))
            {
                continue;
            }

            attributes.Add(FromColumn(table, name, type, lookups, alterOptionSet));
        }

        return new EntitySchema
        {
            LogicalName = table,
            EntitySetName = table + "s",
            PrimaryIdAttribute = table + "id",
            ChangeTrackingEnabled = true,
            MetadataId = StableId(table),
            Attributes = attributes,
        };
    }

    private static AttributeSchema FromColumn(
        string table, string name, string type, HashSet<string> lookups, Func<string, OptionSetSchema, OptionSetSchema>? alter)
    {
        if (type == "uniqueidentifier")
        {
            if (!lookups.Contains(name))
            {
                return Attribute(table, name, AttributeKind.Uniqueidentifier);
            }

            return name switch
            {
                "ownerid" => Attribute(table, name, AttributeKind.Owner) with { Targets = ["systemuser", "team"] },
                "customerid" or "parentcustomerid" => Attribute(table, name, AttributeKind.Customer) with { Targets = ["account", "contact"] },
                _ => Attribute(table, name, AttributeKind.Lookup) with
                {
                    Targets = [KnownTargets.TryGetValue(name, out var known) ? known : name.EndsWith("id", StringComparison.Ordinal) ? name[..^2] : name],
                },
            };
        }

        if (type.StartsWith("nvarchar", StringComparison.Ordinal))
        {
            var length = Length(type);
            var parent = lookups.FirstOrDefault(l => name == l + "name" || name == l + "yominame");
            if (parent is not null)
            {
                return Attribute(table, name, AttributeKind.String) with { MaxLength = length, AttributeOf = parent };
            }

            if (type == "nvarchar(4000)" && name.EndsWith("type", StringComparison.Ordinal) && lookups.Contains(name[..^4]))
            {
                return Attribute(table, name, AttributeKind.EntityName) with { AttributeOf = name[..^4] };
            }

            return length is null
                ? Attribute(table, name, AttributeKind.Memo) with { MaxLength = 1048576 }
                : Attribute(table, name, AttributeKind.String) with { MaxLength = length };
        }

        return type switch
        {
            "int" => Choice(table, name, alter),
            "bigint" => Attribute(table, name, AttributeKind.BigInt),
            "bit" => Attribute(table, name, AttributeKind.Boolean),
            "datetime" => Attribute(table, name, AttributeKind.DateTime) with
            {
                DateTimeBehavior = name.EndsWith("update", StringComparison.Ordinal)
                    ? DateTimeBehavior.TimeZoneIndependent
                    : name.EndsWith("date", StringComparison.Ordinal) ? DateTimeBehavior.DateOnly : DateTimeBehavior.UserLocal,
            },
            _ when type.StartsWith("decimal(38,", StringComparison.Ordinal) => Attribute(table, name, DecimalKind(name)) with { Precision = Precision(type) },
            _ => throw new InvalidOperationException($"{table}.{name}: no rule for type '{type}'."),
        };
    }

    private static AttributeSchema Choice(string table, string name, Func<string, OptionSetSchema, OptionSetSchema>? alter)
    {
        OptionSetSchema? set = null;
        var kind = AttributeKind.Picklist;
        if (name == "statecode")
        {
            kind = AttributeKind.State;
            set = new OptionSetSchema { Name = table + "_statecode", Options = [new(0, "Active"), new(1, "Inactive")] };
        }
        else if (name == "statuscode")
        {
            kind = AttributeKind.Status;
            var options = Find(table + "_StatusCode") ?? [(1, "Active"), (2, "Inactive")];
            set = new OptionSetSchema
            {
                Name = table + "_statuscode",
                Options = options.Select(o => new OptionSchema(o.Value, o.Label, State: StateOfStatus(o.Value, o.Label))).ToList(),
            };
        }
        else if (Find(table + "_" + name) is { } local)
        {
            set = new OptionSetSchema { Name = table + "_" + name, Options = local.Select(o => new OptionSchema(o.Value, o.Label)).ToList() };
        }
        else if (OptionSets.Keys.FirstOrDefault(k => k.ToLowerInvariant() == name) is { } global)
        {
            set = new OptionSetSchema { Name = global, IsGlobal = true, Options = OptionSets[global].Select(o => new OptionSchema(o.Value, o.Label)).ToList() };
        }
        else
        {
            kind = AttributeKind.Integer;
        }

        if (set is not null && alter is not null)
        {
            set = alter(table + "." + name, set);
        }

        return Attribute(table, name, kind) with { OptionSet = set };
    }

    private static IReadOnlyList<(int Value, string Label)>? Find(string name) =>
        OptionSets.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static int StateOfStatus(int value, string label) => value switch
    {
        1 => 0,
        2 => 1,
        _ => label.Contains("inactive", StringComparison.OrdinalIgnoreCase) ? 1 : 0,
    };

    private static AttributeKind DecimalKind(string name) =>
        name.EndsWith("latitude", StringComparison.Ordinal) || name.EndsWith("longitude", StringComparison.Ordinal)
            ? AttributeKind.Double
            : name.EndsWith("_base", StringComparison.Ordinal) || MoneyWords.Any(w => name.Contains(w, StringComparison.Ordinal))
                ? AttributeKind.Money
                : AttributeKind.Decimal;

    private static int? Length(string type)
    {
        var open = type.IndexOf('(', StringComparison.Ordinal);
        var text = open < 0 ? null : type[(open + 1)..^1];
        return text is null or "max" ? null : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Precision(string type) =>
        int.Parse(type[(type.IndexOf(',', StringComparison.Ordinal) + 1)..^1].Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static AttributeSchema Attribute(string table, string name, AttributeKind kind) =>
        new() { LogicalName = name, Kind = kind, MetadataId = StableId(table + "." + name) };

    private static Guid StableId(string name) => new(MD5.HashData(Encoding.UTF8.GetBytes(name)));

    private static IReadOnlyList<(string, IReadOnlyList<(string, string)>)> ReadTables()
    {
        using var document = JsonDocument.Parse(Resource("dqt-reporting-tables.json"));
        return document.RootElement.GetProperty("tables").EnumerateObject()
            .Select(t => (t.Name, (IReadOnlyList<(string, string)>)t.Value.EnumerateArray().Select(c => (c[0].GetString()!, c[1].GetString()!)).ToList()))
            .ToList();
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<(int, string)>> ReadOptionSets()
    {
        using var document = JsonDocument.Parse(Resource("dqt-option-sets.json"));
        return document.RootElement.GetProperty("optionSets").EnumerateObject().ToDictionary(
            s => s.Name,
            s => (IReadOnlyList<(int, string)>)s.Value.EnumerateArray()
                .OrderBy(o => o.GetProperty("order").GetInt32())
                .Select(o => (o.GetProperty("value").GetInt32(), o.GetProperty("label").GetString()!))
                .ToList(),
            StringComparer.Ordinal);
    }

    private static Stream Resource(string fileName)
    {
        var assembly = Assembly.Load("ReportingSync.DataverseSimulator");
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(fileName, StringComparison.Ordinal));
        return assembly.GetManifestResourceStream(name)!;
    }
}
