namespace ReportingSync.Sql;

/// <summary>Which metadata table holds a choice column's labels.</summary>
internal enum LabelSource
{
    /// <summary>OptionSetMetadata (a local option set).</summary>
    OptionSet,

    /// <summary>GlobalOptionSetMetadata.</summary>
    GlobalOptionSet,

    /// <summary>StateMetadata (<c>statecode</c>).</summary>
    State,

    /// <summary>StatusMetadata (<c>statuscode</c>).</summary>
    Status,
}
