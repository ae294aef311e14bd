namespace ReportingSync.Source;

/// <summary>
/// Which requests go first when the source's request budget runs short. Streaming work (delta reads, metadata checks,
/// readiness) keeps the replica fresh; background work (seeds, re-seeds, reconciliation, repairs, row-count estimates)
/// moves a long job along, so it waits while any streaming request waits.
/// </summary>
public enum SourcePriority
{
    Streaming,
    Background,
}
