namespace ReportingSync.Model;

public enum CursorKind
{
    /// <summary>More pages of the current read follow (<c>@odata.nextLink</c>).</summary>
    NextLink,

    /// <summary>The read is complete; this link returns later changes (<c>@odata.deltaLink</c>).</summary>
    DeltaLink,

    /// <summary>
    /// A parallel seed in progress: the URL field holds the engine's own progress record (the delta link taken before
    /// the seed, and each key range's next link), never sent to the source.
    /// </summary>
    Partitioned,
}
