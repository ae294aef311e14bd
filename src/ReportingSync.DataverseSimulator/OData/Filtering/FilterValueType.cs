namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary>The Edm type family of a filterable property, for literal checking.</summary>
internal enum FilterValueType
{
    Any,
    String,
    Number,
    Boolean,
    Guid,
    DateTime,
    Date,
}
