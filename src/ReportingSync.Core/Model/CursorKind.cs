namespace ReportingSync.Model;

public enum CursorKind
{
    /// <summary>More pages of the current read follow (<c>@odata.nextLink</c>).</summary>
    NextLink,

    /// <summary>The read is complete; this link returns later changes (<c>@odata.deltaLink</c>).</summary>
    DeltaLink,

    /// <summary>
    /// Written only by versions before 2026-12: a parallel seed's progress as JSON in the cursor. Read back so the engine
    /// can start such a seed over; progress now lives in <see cref="EntityState.ParallelSeed"/>.
    /// </summary>
    Partitioned,
}
