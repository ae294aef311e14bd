namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary>A literal as written in the filter (<paramref name="Text"/> is unquoted for strings).</summary>
internal sealed record FilterLiteral(LiteralKind Kind, string Text)
{
    public string EdmType => Kind switch
    {
        LiteralKind.String => "Edm.String",
        LiteralKind.Number => Text.Contains('.', StringComparison.Ordinal) ? "Edm.Decimal" : "Edm.Int32",
        LiteralKind.Boolean => "Edm.Boolean",
        LiteralKind.Guid => "Edm.Guid",
        LiteralKind.DateTime => "Edm.DateTimeOffset",
        LiteralKind.Date => "Edm.Date",
        _ => "null",
    };
}
