using System.Collections.Immutable;

namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// Builds the simulator's table definitions from the embedded DES reference schema, applying
/// <see cref="DesColumnRules"/> column by column.
/// </summary>
internal static partial class ReferenceModelBuilder
{
    private static readonly Dictionary<string, (string Schema, int TypeCode)> SystemTables = new(StringComparer.Ordinal)
    {
        ["account"] = ("Account", 1),
        ["contact"] = ("Contact", 2),
        ["lead"] = ("Lead", 4),
        ["systemuser"] = ("SystemUser", 8),
        ["accountleads"] = ("AccountLeads", 16),
        ["contactleads"] = ("ContactLeads", 22),
        ["incident"] = ("Incident", 112),
        ["subject"] = ("Subject", 129),
        ["campaign"] = ("Campaign", 4400),
        ["incidentresolution"] = ("IncidentResolution", 4206),
        ["transactioncurrency"] = ("TransactionCurrency", 9105),
    };

    /// <summary>All 55 reference tables, in file order.</summary>
    public static IReadOnlyList<EntityDefinition> BuildAll() => Build(ReferenceData.Shared);

    public static IReadOnlyList<EntityDefinition> Build(ReferenceData data)
    {
        var tableNames = data.Tables.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var localSets = data.OptionSets.Keys.ToDictionary(k => k.ToLowerInvariant(), k => k, StringComparer.Ordinal);
        var result = new List<EntityDefinition>();
        var customIndex = 0;
        foreach (var (name, columns) in data.Tables)
        {
            var (schema, typeCode) = SystemTables.TryGetValue(name, out var known) ? known : (name, 10000 + customIndex++);
            result.Add(BuildTable(name, schema, typeCode, columns, data, localSets, tableNames));
        }

        return result;
    }

    private static EntityDefinition BuildTable(
        string entity,
        string entitySchema,
        int typeCode,
        IReadOnlyList<ReferenceColumn> columns,
        ReferenceData data,
        Dictionary<string, string> setNamesByLower,
        HashSet<string> tableNames)
    {
        var columnNames = columns.ToDictionary(c => c.Name, c => c.SqlType, StringComparer.Ordinal);
        var lookups = columns
            .Where(c => c.Name.EndsWith(DesColumnRules.EntityTypeSuffix, StringComparison.Ordinal))
            .Select(c => c.Name[..^DesColumnRules.EntityTypeSuffix.Length])
            .Where(x => columnNames.TryGetValue(x, out var t) && t.Name == "uniqueidentifier")
            .ToHashSet(StringComparer.Ordinal);

        var attributes = new List<AttributeDefinition>();
        var context = new TableContext(entity, entitySchema, data, setNamesByLower, tableNames, lookups);
        for (var i = 0; i < columns.Count; i++)
        {
            var attribute = FromColumn(context, columns[i], i);
            if (attribute is not null)
            {
                attributes.Add(attribute);
            }
        }

        if (entity == "contact")
        {
            attributes.AddRange(ContactExtras(entity, columns.Count));
        }

        var primaryName = ChoosePrimaryName(attributes);
        if (primaryName is not null)
        {
            var index = attributes.FindIndex(a => a.LogicalName == primaryName);
            attributes[index] = attributes[index] with { IsPrimaryName = true };
        }

        return new EntityDefinition(
            entity,
            entitySchema,
            EntitySetNaming.Pluralize(entity),
            entity + "id",
            primaryName,
            changeTrackingEnabled: true,
            typeCode,
            MetadataIds.For("entity", entity),
            [.. attributes]);
    }

    private static AttributeDefinition? FromColumn(TableContext ctx, ReferenceColumn column, int columnNumber)
    {
        var name = column.Name;
        var sql = column.SqlType;
        if (name == "Id")
        {
            return ctx.Attribute(ctx.Entity + "id", AttributeType.Uniqueidentifier, columnNumber) with
            {
                SchemaName = ctx.EntitySchema + "Id",
                IsPrimaryId = true,
            };
        }

        if (name.EndsWith(DesColumnRules.EntityTypeSuffix, StringComparison.Ordinal)
            && ctx.Lookups.Contains(name[..^DesColumnRules.EntityTypeSuffix.Length]))
        {
            return null;
        }

        switch (sql.Name)
        {
            case "uniqueidentifier" when ctx.Lookups.Contains(name):
                var lookupType = DesColumnRules.LookupTypeFor(name);
                return ctx.Attribute(name, lookupType, columnNumber) with
                {
                    Targets = [.. LookupTargets.For(ctx.Entity, name, lookupType, ctx.TableNames)],
                };
            case "uniqueidentifier":
                return ctx.Attribute(name, AttributeType.Uniqueidentifier, columnNumber);
            case "nvarchar":
                return FromNvarchar(ctx, name, sql, columnNumber);
            case "int":
                return FromInt(ctx, name, columnNumber);
            case "bigint":
                return ctx.Attribute(name, AttributeType.BigInt, columnNumber) with { MinValue = long.MinValue, MaxValue = long.MaxValue };
            case "datetime":
                return ctx.Attribute(name, AttributeType.DateTime, columnNumber) with { Behavior = DesColumnRules.BehaviorFor(name) };
            case "decimal":
                return FromDecimal(ctx, name, sql, columnNumber);
            case "bit":
                return ctx.Attribute(name, AttributeType.Boolean, columnNumber) with
                {
                    OptionSet = BooleanOptions(ctx.Entity, name),
                };
            default:
                throw new InvalidOperationException($"No attribute rule for {ctx.Entity}.{name} ({sql.Name}).");
        }
    }

    private static AttributeDefinition FromNvarchar(TableContext ctx, string name, SqlColumnType sql, int columnNumber)
    {
        string? derivedFrom = null;
        if (name.EndsWith("yominame", StringComparison.Ordinal) && ctx.Lookups.Contains(name[..^"yominame".Length]))
        {
            derivedFrom = name[..^"yominame".Length];
        }
        else if (name.EndsWith("name", StringComparison.Ordinal) && ctx.Lookups.Contains(name[..^"name".Length]))
        {
            derivedFrom = name[..^"name".Length];
        }
        else if (name.EndsWith("type", StringComparison.Ordinal) && sql.Length == 4000 && ctx.Lookups.Contains(name[..^"type".Length]))
        {
            return ctx.Attribute(name, AttributeType.EntityName, columnNumber) with { AttributeOf = name[..^"type".Length] };
        }

        if (sql.IsMax)
        {
            return ctx.Attribute(name, AttributeType.Memo, columnNumber) with { MaxLength = DesColumnRules.MemoMaxLength };
        }

        return ctx.Attribute(name, AttributeType.String, columnNumber) with { MaxLength = sql.Length, AttributeOf = derivedFrom };
    }

    private static AttributeDefinition FromInt(TableContext ctx, string name, int columnNumber)
    {
        if (name == "statecode")
        {
            return ctx.Attribute(name, AttributeType.State, columnNumber) with { OptionSet = ctx.StateOptions() };
        }

        if (name == "statuscode")
        {
            return ctx.Attribute(name, AttributeType.Status, columnNumber) with { OptionSet = ctx.StatusOptions() };
        }

        if (ctx.SetNamesByLower.TryGetValue((ctx.Entity + "_" + name).ToLowerInvariant(), out var local))
        {
            return ctx.Attribute(name, AttributeType.Picklist, columnNumber) with
            {
                SchemaName = AttributeSchemaFromSet(local, ctx.Entity, name),
                OptionSet = ctx.OptionSetFrom(local, isGlobal: false, OptionSetType.Picklist),
            };
        }

        if (ctx.SetNamesByLower.TryGetValue(name, out var global) && global.ToLowerInvariant() == name)
        {
            return ctx.Attribute(name, AttributeType.Picklist, columnNumber) with
            {
                OptionSet = ctx.OptionSetFrom(global, isGlobal: true, OptionSetType.Picklist),
            };
        }

        return ctx.Attribute(name, AttributeType.Integer, columnNumber) with { MinValue = int.MinValue, MaxValue = int.MaxValue };
    }

    private static AttributeDefinition FromDecimal(TableContext ctx, string name, SqlColumnType sql, int columnNumber)
    {
        var type = DesColumnRules.DecimalTypeFor(name);
        var (min, max) = type switch
        {
            AttributeType.Double when name.EndsWith("latitude", StringComparison.Ordinal) => (-90m, 90m),
            AttributeType.Double when name.EndsWith("longitude", StringComparison.Ordinal) => (-180m, 180m),
            AttributeType.Money => (-922337203685477m, 922337203685477m),
            _ => (-100000000000m, 100000000000m),
        };
        return ctx.Attribute(name, type, columnNumber) with
        {
            Precision = sql.Scale ?? 0,
            PrecisionSource = type == AttributeType.Money ? MoneyPrecision.DefaultSource : null,
            MinValue = min,
            MaxValue = max,
        };
    }

    private static IEnumerable<AttributeDefinition> ContactExtras(string entity, int firstColumnNumber)
    {
        yield return new AttributeDefinition
        {
            LogicalName = "entityimage",
            SchemaName = "EntityImage",
            Type = AttributeType.Virtual,
            TypeName = AttributeTypeNames.Image,
            MetadataId = MetadataIds.For("attribute", entity + ".entityimage"),
            ColumnNumber = firstColumnNumber,
        };
        yield return new AttributeDefinition
        {
            LogicalName = "dfeta_passwordhash",
            SchemaName = "dfeta_passwordhash",
            Type = AttributeType.String,
            TypeName = AttributeTypeNames.For(AttributeType.String),
            MaxLength = 256,
            IsValidForRead = false,
            MetadataId = MetadataIds.For("attribute", entity + ".dfeta_passwordhash"),
            ColumnNumber = firstColumnNumber + 1,
        };
    }

    private static string? ChoosePrimaryName(List<AttributeDefinition> attributes)
    {
        bool IsNameString(AttributeDefinition a) => a.Type == AttributeType.String && a.AttributeOf is null && a.IsValidForRead;
        foreach (var candidate in DesColumnRules.PrimaryNameCandidates)
        {
            if (attributes.Any(a => a.LogicalName == candidate && IsNameString(a)))
            {
                return candidate;
            }
        }

        return attributes.FirstOrDefault(a => IsNameString(a) && a.LogicalName.EndsWith("name", StringComparison.Ordinal))?.LogicalName
            ?? attributes.FirstOrDefault(IsNameString)?.LogicalName;
    }

    private static OptionSetDefinition BooleanOptions(string entity, string attribute) => new(
        entity + "_" + attribute,
        IsGlobal: false,
        OptionSetType.Boolean,
        MetadataIds.For("optionset", entity + "_" + attribute),
        [
            new OptionDefinition(0, "No", null, MetadataIds.For("label", entity + "_" + attribute + ":0")),
            new OptionDefinition(1, "Yes", null, MetadataIds.For("label", entity + "_" + attribute + ":1")),
        ]);

    /// <summary>Local set names are SchemaName-cased (<c>Contact_GenderCode</c>): reuse the attribute part as SchemaName.</summary>
    private static string AttributeSchemaFromSet(string setName, string entity, string attribute) =>
        setName.Length == entity.Length + 1 + attribute.Length ? setName[(entity.Length + 1)..] : attribute;
}
