namespace ReportingSync.Model;

/// <summary>
/// The dialect-neutral storage type of a target column. Values in a <see cref="RowBatch"/> use exactly these CLR types:
/// Guid, string, int, long, decimal, double, bool, DateTime (Kind = Utc), DateOnly.
/// </summary>
public enum ColumnStorageType
{
    Guid,
    String,
    Int32,
    Int64,
    Decimal,
    Double,
    Boolean,
    DateTime,
    Date,
}
