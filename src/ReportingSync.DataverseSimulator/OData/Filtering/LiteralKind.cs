namespace ReportingSync.DataverseSimulator.OData.Filtering;

internal enum LiteralKind
{
    Null,
    String,
    Number,
    Boolean,
    Guid,
    DateTime,
    Date,
}
