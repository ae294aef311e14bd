using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// Validates values written through the store API and turns them into the stored CLR types: string, int, long,
/// decimal (scaled to the attribute's precision), double, bool, DateTime (UTC, whole seconds), DateOnly, Guid,
/// <see cref="LookupValue"/>, and "1,2,3" strings for multi-select choices. Also accepts JSON elements (admin API).
/// </summary>
internal static class ValueNormalizer
{
    public static ImmutableDictionary<string, object?> Normalize(EntityDefinition entity, IReadOnlyDictionary<string, object?> values)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        foreach (var (name, raw) in values)
        {
            if (name == entity.PrimaryIdAttribute || name == "versionnumber")
            {
                continue;
            }

            var attribute = entity.Find(name) ?? entity.FindColumn(name)
                ?? throw new ArgumentException($"Table '{entity.LogicalName}' has no attribute '{name}'.", nameof(values));
            if (!attribute.IsDataColumn)
            {
                throw new ArgumentException($"Attribute '{entity.LogicalName}.{attribute.LogicalName}' cannot be written.", nameof(values));
            }

            builder[attribute.LogicalName] = Normalize(attribute, raw is JsonElement json ? FromJson(json) : raw);
        }

        return builder.ToImmutable();
    }

    public static object? Normalize(AttributeDefinition a, object? value)
    {
        if (value is null)
        {
            return null;
        }

        object? result = a.Type switch
        {
            AttributeType.String or AttributeType.Memo => value as string ?? System.Convert.ToString(value, CultureInfo.InvariantCulture),
            AttributeType.Integer or AttributeType.Picklist or AttributeType.State or AttributeType.Status =>
                System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
            AttributeType.BigInt => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
            AttributeType.Decimal => WithScale(System.Convert.ToDecimal(value, CultureInfo.InvariantCulture), a.Precision ?? 2),

            // Money is stored with 4 places whatever its precision (see MoneyPrecision): 92.3865 stays 92.3865.
            AttributeType.Money => WithScale(System.Convert.ToDecimal(value, CultureInfo.InvariantCulture), MoneyPrecision.StorageScale),
            AttributeType.Double => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
            AttributeType.Boolean => System.Convert.ToBoolean(value, CultureInfo.InvariantCulture),
            AttributeType.DateTime => Date(a, value),
            AttributeType.Uniqueidentifier => value is Guid g ? g : Guid.Parse(value.ToString()!),
            AttributeType.Lookup or AttributeType.Customer or AttributeType.Owner => Lookup(a, value),
            AttributeType.Virtual when a.IsMultiSelect => MultiSelect(value),
            _ => throw new ArgumentException($"Attribute '{a.LogicalName}' cannot be written."),
        };

        Validate(a, result);
        return result;
    }

    public static decimal WithScale(decimal value, int precision)
    {
        var rounded = Math.Round(value, precision, MidpointRounding.AwayFromZero);
        return rounded + new decimal(0, 0, 0, false, (byte)precision);
    }

    public static DateTime TruncateToSeconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static void Validate(AttributeDefinition a, object? value)
    {
        switch (value)
        {
            case string s when a.MaxLength is { } max && s.Length > max && !a.IsMultiSelect:
                throw new ArgumentException($"Value for '{a.LogicalName}' is {s.Length} characters; the maximum is {max}.");
            case int i when a.IsChoice && a.OptionSet?.Find(i) is null:
                throw new ArgumentException($"{i} is not a valid option for '{a.LogicalName}'.");
            case string s when a.IsMultiSelect:
                foreach (var part in s.Split(','))
                {
                    if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || a.OptionSet?.Find(v) is null)
                    {
                        throw new ArgumentException($"'{part}' is not a valid option for '{a.LogicalName}'.");
                    }
                }

                break;
        }
    }

    private static object Date(AttributeDefinition a, object value)
    {
        DateTime instant = value switch
        {
            DateTime d => d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d,
            DateTimeOffset d => d.UtcDateTime,
            DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            _ => throw new ArgumentException($"'{value}' is not a date for '{a.LogicalName}'."),
        };
        return a.Behavior == DateTimeBehavior.DateOnly
            ? DateOnly.FromDateTime(instant)
            : TruncateToSeconds(new DateTimeOffset(DateTime.SpecifyKind(instant, DateTimeKind.Utc)));
    }

    private static LookupValue Lookup(AttributeDefinition a, object value) => value switch
    {
        LookupValue l => string.IsNullOrEmpty(l.LogicalName) ? l with { LogicalName = a.Targets[0] } : l,
        Guid g => new LookupValue(g, a.Targets[0], null),
        string s => new LookupValue(Guid.Parse(s), a.Targets[0], null),
        _ => throw new ArgumentException($"'{value}' is not a lookup value for '{a.LogicalName}'."),
    };

    private static string MultiSelect(object value) => value switch
    {
        string s => s,
        IEnumerable<int> values => string.Join(',', values),
        _ => throw new ArgumentException($"'{value}' is not a multi-select value."),
    };

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => json.TryGetInt64(out var l) ? l : json.GetDecimal(),
        JsonValueKind.Array => string.Join(',', json.EnumerateArray().Select(e => e.GetInt32())),
        JsonValueKind.Object when json.TryGetProperty("id", out var id) => new LookupValue(
            id.GetGuid(),
            json.TryGetProperty("logicalName", out var ln) ? ln.GetString()! : string.Empty,
            json.TryGetProperty("name", out var n) ? n.GetString() : null),
        _ => throw new ArgumentException($"Unsupported JSON value {json}."),
    };
}
