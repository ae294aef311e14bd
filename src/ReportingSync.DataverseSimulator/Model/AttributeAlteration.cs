namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// A change to an existing attribute. Null members stay as they are. Changing <see cref="Type"/> converts existing
/// values (e.g. String → Integer parses numbers and nulls the rest); choices need <see cref="Options"/>.
/// </summary>
internal sealed record AttributeAlteration
{
    public int? MaxLength { get; init; }

    public int? Precision { get; init; }

    /// <summary>Money only: the new <c>PrecisionSource</c> (0, 1 or 2).</summary>
    public int? PrecisionSource { get; init; }

    public AttributeType? Type { get; init; }

    public DateTimeBehavior? Behavior { get; init; }

    public IReadOnlyList<OptionSpec>? Options { get; init; }
}
