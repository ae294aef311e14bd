namespace ReportingSync.Model;

/// <summary>
/// Where a money attribute's decimal places come from (<c>MoneyAttributeMetadata.PrecisionSource</c>; learn.microsoft.com,
/// "MoneyAttributeMetadata.PrecisionSource Property"). Whatever the source, Dataverse stores money with 4 decimal places,
/// so a value can carry more places than the attribute's <see cref="AttributeSchema.Precision"/> says.
/// </summary>
public enum MoneyPrecisionSource
{
    /// <summary>0: the attribute's own <c>Precision</c>.</summary>
    Attribute = 0,

    /// <summary>1: the organisation's <c>PricingDecimalPrecision</c>.</summary>
    Organization = 1,

    /// <summary>2 (the default): the <c>CurrencyPrecision</c> of the record's transaction currency.</summary>
    Currency = 2,
}
