namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// What a test or the admin API asks for when adding an attribute. Unset details get Dataverse's defaults
/// (String MaxLength 100, Decimal/Money precision 2, Double precision 5, DateTime UserLocal).
/// A multi-select choice is <c>Type = Virtual, MultiSelect = true</c> (AttributeTypeName MultiSelectPicklistType).
/// </summary>
internal sealed record AttributeSpec
{
    public required string LogicalName { get; init; }

    public required AttributeType Type { get; init; }

    public bool MultiSelect { get; init; }

    public int? MaxLength { get; init; }

    public int? Precision { get; init; }

    /// <summary>Money only: 0 = <see cref="Precision"/>, 1 = organisation pricing precision, 2 (default) = currency precision.</summary>
    public int? PrecisionSource { get; init; }

    public DateTimeBehavior? Behavior { get; init; }

    public IReadOnlyList<string>? Targets { get; init; }

    public IReadOnlyList<OptionSpec>? Options { get; init; }

    /// <summary>Name of the option set; defaults to <c>&lt;entity&gt;_&lt;attribute&gt;</c>.</summary>
    public string? OptionSetName { get; init; }

    public bool IsGlobalOptionSet { get; init; }

    public bool IsValidForRead { get; init; } = true;

    public string? SchemaName { get; init; }
}
