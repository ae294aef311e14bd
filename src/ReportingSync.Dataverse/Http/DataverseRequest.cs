using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// One logical GET (retries resend it). <paramref name="Entity"/> names the table for errors and metrics;
/// <paramref name="Priority"/>, when given, overrides the priority its purpose implies (<see cref="EffectivePriority"/>).
/// </summary>
internal readonly record struct DataverseRequest(Uri Uri, string Entity, RequestPurpose Purpose, string? Prefer = null, SourcePriority? Priority = null)
{
    /// <summary>
    /// Where the request queues when the request budget is short: background for what only seeds, re-seeds,
    /// reconciliation and repairs send (change-tracking initial reads, ordinary queries and their pages, row counts);
    /// streaming for the metadata-change check everyone waits on; the flow's priority (<see cref="SourcePriorityScope"/>)
    /// for the rest, above all for links, whose kind does not say whose read they continue.
    /// </summary>
    public SourcePriority EffectivePriority => Priority ?? Purpose switch
    {
        RequestPurpose.ChangesStart or RequestPurpose.Query or RequestPurpose.QueryContinue or RequestPurpose.Count => SourcePriority.Background,
        RequestPurpose.MetadataChanges => SourcePriority.Streaming,
        _ => SourcePriorityScope.Current,
    };
}
