using System.Globalization;
using System.Text.Json;
using ReportingSync.DataverseSimulator.OData;

namespace ReportingSync.DataverseSimulator.Metadata;

/// <summary>
/// A <c>MetadataFilterExpression</c>: <c>FilterOperator</c> (And, Or), <c>Conditions</c> of <c>PropertyName</c>,
/// <c>ConditionOperator</c> (Equals, NotEquals, In, NotIn, GreaterThan, LessThan) and a <c>Value</c> of
/// <c>{"Type": "System.String", "Value": "contact"}</c>, and nested <c>Filters</c> (learn.microsoft.com, "Query schema
/// definitions"). A list value (<c>System.String[]</c>) is written <c>['a','b']</c>.
/// </summary>
internal sealed class MetadataFilter
{
    private readonly bool _or;
    private readonly List<Condition> _conditions = [];
    private readonly List<MetadataFilter> _filters = [];

    private MetadataFilter(bool or)
    {
        _or = or;
    }

    /// <summary>The filter, or null when there is none (everything matches).</summary>
    public static MetadataFilter? Parse(JsonElement criteria, Func<string, bool> exists, string type)
    {
        if (criteria.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var op = criteria.TryGetProperty("FilterOperator", out var o) ? o.GetString() : "And";
        var filter = new MetadataFilter(op switch
        {
            "Or" => true,
            "And" or null => false,
            _ => throw ErrorCodes.BadRequest($"FilterOperator must be And or Or; it is {op}."),
        });
        if (criteria.TryGetProperty("Conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                filter._conditions.Add(Condition.Parse(condition, exists, type));
            }
        }

        if (criteria.TryGetProperty("Filters", out var filters) && filters.ValueKind == JsonValueKind.Array)
        {
            foreach (var nested in filters.EnumerateArray())
            {
                if (Parse(nested, exists, type) is { } child)
                {
                    filter._filters.Add(child);
                }
            }
        }

        return filter;
    }

    public bool Matches(Func<string, object?> valueOf)
    {
        var results = _conditions.Select(c => c.Matches(valueOf)).Concat(_filters.Select(f => f.Matches(valueOf)));
        return _or ? results.DefaultIfEmpty(true).Any(r => r) : results.All(r => r);
    }

    private sealed record Condition(string Property, string Operator, IReadOnlyList<string> Values)
    {
        public static Condition Parse(JsonElement json, Func<string, bool> exists, string type)
        {
            var property = json.TryGetProperty("PropertyName", out var p) ? p.GetString() : null;
            if (property is null || !exists(property))
            {
                throw ErrorCodes.BadRequest($"The property '{property}' of a MetadataConditionExpression is not a property of {type}.");
            }

            var op = json.TryGetProperty("ConditionOperator", out var o) ? o.GetString() ?? "Equals" : "Equals";
            if (op is not ("Equals" or "NotEquals" or "In" or "NotIn" or "GreaterThan" or "LessThan"))
            {
                throw ErrorCodes.BadRequest($"ConditionOperator '{op}' is not a MetadataConditionOperator.");
            }

            var value = json.TryGetProperty("Value", out var v) && v.ValueKind == JsonValueKind.Object && v.TryGetProperty("Value", out var inner)
                ? inner.ValueKind == JsonValueKind.String ? inner.GetString() ?? string.Empty : inner.GetRawText()
                : string.Empty;
            return new Condition(property, op, op is "In" or "NotIn" ? ListOf(value) : [value]);
        }

        public bool Matches(Func<string, object?> valueOf)
        {
            var actual = Text(valueOf(Property));
            return Operator switch
            {
                "Equals" => Values.Any(v => Same(actual, v)),
                "NotEquals" => !Values.Any(v => Same(actual, v)),
                "In" => Values.Any(v => Same(actual, v)),
                "NotIn" => !Values.Any(v => Same(actual, v)),
                _ => decimal.TryParse(actual, NumberStyles.Number, CultureInfo.InvariantCulture, out var a)
                    && decimal.TryParse(Values[0], NumberStyles.Number, CultureInfo.InvariantCulture, out var b)
                    && (Operator == "GreaterThan" ? a > b : a < b),
            };
        }

        private static bool Same(string? actual, string expected) => string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);

        private static string? Text(object? value) => value switch
        {
            null => null,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };

        /// <summary><c>['a','b']</c> (Microsoft's PowerShell sample) or a JSON array.</summary>
        private static IReadOnlyList<string> ListOf(string text)
        {
            var trimmed = text.Trim();
            if (!trimmed.StartsWith('[') || !trimmed.EndsWith(']'))
            {
                return [trimmed];
            }

            return trimmed[1..^1]
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(item => item.Length >= 2 && (item[0] is '\'' or '"') && item[^1] == item[0] ? item[1..^1] : item)
                .ToList();
        }
    }
}
