namespace ReportingSync.DataverseSimulator.OData.Filtering;

internal enum ComparisonOperator
{
    Equal,
    NotEqual,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}
