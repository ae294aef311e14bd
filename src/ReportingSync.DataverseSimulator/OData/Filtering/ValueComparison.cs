using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.OData.Filtering;

/// <summary>
/// Compares values the way the service's SQL does: strings case-insensitively, GUIDs in SQL Server
/// uniqueidentifier order, numbers by value, nulls first when sorting.
/// </summary>
internal static class ValueComparison
{
    public static int CompareForSort(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        return Compare(a, b) ?? 0;
    }

    /// <summary>Compares two non-null values; null when they are not comparable.</summary>
    public static int? Compare(object a, object b)
    {
        a = a is LookupValue la ? la.Id : a;
        b = b is LookupValue lb ? lb.Id : b;
        return (a, b) switch
        {
            (string x, string y) => Math.Sign(string.Compare(x, y, StringComparison.OrdinalIgnoreCase)),
            (Guid x, Guid y) => SqlGuidOrder.ToKey(x).CompareTo(SqlGuidOrder.ToKey(y)),
            (bool x, bool y) => x.CompareTo(y),
            (DateTime x, DateTime y) => x.CompareTo(y),
            (DateOnly x, DateOnly y) => x.CompareTo(y),
            (DateOnly x, DateTime y) => x.ToDateTime(TimeOnly.MinValue).CompareTo(y),
            (DateTime x, DateOnly y) => x.CompareTo(y.ToDateTime(TimeOnly.MinValue)),
            _ when AsDecimal(a) is { } x && AsDecimal(b) is { } y => x.CompareTo(y),
            _ => null,
        };
    }

    private static decimal? AsDecimal(object value) => value switch
    {
        int i => i,
        long l => l,
        decimal d => d,
        double d when double.IsFinite(d) && Math.Abs(d) < 7.9e27 => (decimal)d,
        _ => null,
    };
}
