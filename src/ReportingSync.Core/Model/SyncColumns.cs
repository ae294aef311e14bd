namespace ReportingSync.Model;

/// <summary>Columns the replicator adds to every entity table (names as the Data Export Service used them).</summary>
public static class SyncColumns
{
    public const string Id = "Id";
    public const string Version = "versionnumber";
    public const string SinkCreatedOn = "SinkCreatedOn";
    public const string SinkModifiedOn = "SinkModifiedOn";
    public const string IsDeleted = "IsDeleted";

    /// <summary>Suffix of the column that holds a lookup's target table.</summary>
    public const string EntityTypeSuffix = "_entitytype";
}
