using System.Globalization;
using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// Converts a stored value to an attribute's current definition after an alteration, the way Dataverse would
/// re-read the column: strings parse to numbers or become null, longer precision rounds, shorter strings cut.
/// </summary>
internal static class ValueCoercion
{
    public static bool NeedsConversion(AttributeDefinition from, AttributeDefinition to) =>
        !ReferenceEquals(from, to)
        && (from.Type != to.Type || from.MaxLength != to.MaxLength || from.Precision != to.Precision
            || from.Behavior != to.Behavior || !ReferenceEquals(from.OptionSet, to.OptionSet));

    public static object? Convert(object? value, AttributeDefinition to)
    {
        if (value is null)
        {
            return null;
        }

        return to.Type switch
        {
            AttributeType.String or AttributeType.Memo => ValueGenerator.Fit(AsText(value), to.MaxLength),
            AttributeType.Integer => AsDecimal(value) is { } d && d >= int.MinValue && d <= int.MaxValue ? (int)decimal.Truncate(d) : null,
            AttributeType.BigInt => AsDecimal(value) is { } d && d >= long.MinValue && d <= long.MaxValue ? (long)decimal.Truncate(d) : null,
            AttributeType.Decimal => AsDecimal(value) is { } d ? ValueNormalizer.WithScale(d, to.Precision ?? 2) : null,
            AttributeType.Money => AsDecimal(value) is { } d ? ValueNormalizer.WithScale(d, MoneyPrecision.StorageScale) : null,
            AttributeType.Double => AsDecimal(value) is { } d ? Math.Round((double)d, Math.Clamp(to.Precision ?? 5, 0, 15)) : null,
            AttributeType.Boolean => value switch
            {
                bool b => b,
                string s when bool.TryParse(s, out var b) => b,
                _ => AsDecimal(value) is { } d ? d != 0 : null,
            },
            AttributeType.DateTime => AsDate(value, to.Behavior),
            AttributeType.Picklist or AttributeType.State or AttributeType.Status =>
                AsDecimal(value) is { } d && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue
                    && to.OptionSet?.Find((int)d) is not null ? (int)d : null,
            AttributeType.Virtual when to.IsMultiSelect => value is string s
                && s.Split(',').All(p => int.TryParse(p, out var v) && to.OptionSet?.Find(v) is not null) ? s : null,
            AttributeType.Uniqueidentifier => value switch
            {
                Guid g => g,
                LookupValue l => l.Id,
                string s when Guid.TryParse(s, out var g) => g,
                _ => null,
            },
            AttributeType.Lookup or AttributeType.Customer or AttributeType.Owner => value switch
            {
                LookupValue l => l,
                Guid g when !to.Targets.IsDefaultOrEmpty => new LookupValue(g, to.Targets[0], null),
                _ => null,
            },
            _ => null,
        };
    }

    private static string AsText(object value) => value switch
    {
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        LookupValue l => l.Id.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static decimal? AsDecimal(object value) => value switch
    {
        int i => i,
        long l => l,
        decimal d => d,
        double d when double.IsFinite(d) && Math.Abs(d) < 7.9e27 => (decimal)d,
        bool b => b ? 1 : 0,
        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static object? AsDate(object value, DateTimeBehavior? behavior)
    {
        DateTime? instant = value switch
        {
            DateTime d => d,
            DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            string s when DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) => d,
            _ => null,
        };
        if (instant is not { } i)
        {
            return null;
        }

        return behavior == DateTimeBehavior.DateOnly ? DateOnly.FromDateTime(i) : DateTime.SpecifyKind(i, DateTimeKind.Utc);
    }
}
