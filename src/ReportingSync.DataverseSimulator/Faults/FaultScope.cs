namespace ReportingSync.DataverseSimulator.Faults;

/// <summary>Which requests a fault rule considers, besides its path pattern.</summary>
internal enum FaultScope
{
    Any,
    Metadata,
    Initial,
    Delta,
    Query,

    /// <summary>Any request that follows a nextLink (carries a $skiptoken).</summary>
    NextLink,
}
