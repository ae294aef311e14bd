namespace ReportingSync.Model;

/// <summary>A readable attribute of a Dataverse table, as its metadata describes it.</summary>
public sealed record AttributeSchema
{
    public required string LogicalName { get; init; }
    public required AttributeKind Kind { get; init; }

    /// <summary>String / Memo maximum length in characters.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Decimal / Money / Double digits after the decimal point.</summary>
    public int? Precision { get; init; }

    /// <summary>Money only: where its values' decimal places come from; null for other kinds.</summary>
    public MoneyPrecisionSource? PrecisionSource { get; init; }

    public DateTimeBehavior DateTimeBehavior { get; init; } = DateTimeBehavior.UserLocal;

    /// <summary>Lookup / Customer / Owner target tables.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Set for derived attributes (e.g. <c>createdbyname</c> is derived from <c>createdby</c>).</summary>
    public string? AttributeOf { get; init; }

    /// <summary>Choice options for Picklist / State / Status / MultiSelectPicklist.</summary>
    public OptionSetSchema? OptionSet { get; init; }

    public Guid MetadataId { get; init; }

    public bool IsLookup => Kind is AttributeKind.Lookup or AttributeKind.Customer or AttributeKind.Owner;

    public bool IsChoice => Kind is AttributeKind.Picklist or AttributeKind.State or AttributeKind.Status or AttributeKind.MultiSelectPicklist;
}
