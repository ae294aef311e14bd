namespace ReportingSync.Model;

/// <summary>
/// One page read from the source: rows to upsert (newer versionnumber wins), ids deleted, and the cursor that follows
/// this page. The engine commits the page and <see cref="Next"/> together.
/// </summary>
public sealed record ChangePage(RowBatch Upserts, IReadOnlyList<Guid> Deletes, SyncCursor Next)
{
    /// <summary>True when <see cref="Next"/> is a delta link, i.e. this page completes the read.</summary>
    public bool CompletesRead => Next.IsDelta;

    /// <summary>Number of source requests this page cost (retries included), for metrics and budgets.</summary>
    public int Requests { get; init; } = 1;

    /// <summary>Source pages this page stands for (more than one once pages are gathered into one commit).</summary>
    public int Pages { get; init; } = 1;
}
