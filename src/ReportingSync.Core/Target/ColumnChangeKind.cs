namespace ReportingSync.Target;

public enum ColumnChangeKind
{
    /// <summary>A new column (nullable).</summary>
    Add,

    /// <summary>Same kind of value, more room: longer string, more decimal places, int → bigint. In place, no data loss.</summary>
    Widen,

    /// <summary>Remove a column the source no longer has (only when configured).</summary>
    Drop,
}
