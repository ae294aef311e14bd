namespace ReportingSync.Target;

/// <summary>The per-page commit protocol (DESIGN.md): data, deletes and the state change in one transaction.</summary>
public interface IPageCommitter
{
    /// <summary>
    /// In ONE transaction: the state change (compare-and-set on the revision, fenced by the lease), rows written without
    /// ever regressing a stored row's versionnumber, deletes applied and logged to DeleteLog, quarantine kept. Nothing is
    /// visible until it all commits.
    /// </summary>
    /// <exception cref="CursorConflictException">The stored revision moved; nothing was written.</exception>
    /// <exception cref="LeaseLostException">The fence failed; nothing was written.</exception>
    Task<CommitResult> CommitPageAsync(PageCommit commit, CancellationToken cancellationToken);

    /// <summary>
    /// Rows a seed may gather from consecutive pages into one commit (0: a commit per page), for a target whose cost per
    /// commit grows with what each commit touches rather than with the rows it adds.
    /// </summary>
    int SeedCommitRows => 0;
}
