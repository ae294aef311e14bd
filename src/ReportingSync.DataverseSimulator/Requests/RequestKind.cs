namespace ReportingSync.DataverseSimulator.Requests;

/// <summary>What a request was for. Pages reached through a nextLink keep their read's kind (see <see cref="RequestLogEntry.IsNextLink"/>).</summary>
internal enum RequestKind
{
    /// <summary>EntityDefinitions and other metadata.</summary>
    Metadata,

    /// <summary>A change-tracking initial read (track-changes without a delta token).</summary>
    Initial,

    /// <summary>A delta read (a deltaLink, or its nextLinks).</summary>
    Delta,

    /// <summary>An ordinary query, single-row read, count or function.</summary>
    Query,

    /// <summary>The simulator's own /admin API.</summary>
    Admin,

    /// <summary>Anything else (unknown paths).</summary>
    Other,
}
