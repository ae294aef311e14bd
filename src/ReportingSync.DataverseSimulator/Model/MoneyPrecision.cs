namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// How many decimal places a money value carries, by the attribute's <c>MoneyAttributeMetadata.PrecisionSource</c>:
/// 0 = the attribute's <c>Precision</c>, 1 = <c>Organization.PricingDecimalPrecision</c>, 2 (the default) = the record's
/// <c>TransactionCurrency.CurrencyPrecision</c> (learn.microsoft.com, MoneyAttributeMetadata.PrecisionSource). Every
/// simulated currency has the same precision. Money is stored with <see cref="StorageScale"/> places whatever the
/// precision, so a 2-place attribute can hold 92.3865 and the Web API writes money with 4 places (<c>20000.0000</c>).
/// </summary>
internal sealed record MoneyPrecision(int PricingDecimalPrecision, int CurrencyPrecision)
{
    /// <summary>Decimal places of stored money (Dataverse's default; more only after a Microsoft-run migration).</summary>
    public const int StorageScale = 4;

    /// <summary>The documented default source of an attribute's precision.</summary>
    public const int DefaultSource = 2;

    public static MoneyPrecision Default { get; } = new(2, 4);

    /// <summary>The decimal places values of <paramref name="money"/> are generated with.</summary>
    public int For(AttributeDefinition money) => Math.Clamp(
        (money.PrecisionSource ?? DefaultSource) switch
        {
            0 => money.Precision ?? 2,
            1 => PricingDecimalPrecision,
            _ => CurrencyPrecision,
        },
        0,
        StorageScale);
}
