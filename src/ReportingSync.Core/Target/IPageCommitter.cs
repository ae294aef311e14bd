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
}
