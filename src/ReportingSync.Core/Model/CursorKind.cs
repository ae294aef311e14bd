namespace ReportingSync.Model;

public enum CursorKind
{
    /// <summary>More pages of the current read follow (<c>@odata.nextLink</c>).</summary>
    NextLink,

    /// <summary>The read is complete; this link returns later changes (<c>@odata.deltaLink</c>).</summary>
    DeltaLink,
}
