using ReportingSync.Model;

namespace ReportingSync.Source;

/// <summary>
/// Reads schemas and pages of changes from Dataverse. Knows HTTP; never sees SQL. Implementations share one request
/// budget (concurrency limit, Retry-After) across all entities.
/// </summary>
public interface IChangeSource
{
    /// <summary>
    /// The organisation URL the source is configured for (scheme, host and port). Saved links on another host are refused
    /// before they are sent (<see cref="CursorRejectedException.WasSent"/> false); when the organisation is the same
    /// (<see cref="GetOrganizationIdAsync"/> equals the id stored with the links), move them here with
    /// <see cref="SourceLink.Rebase"/> first.
    /// </summary>
    Uri OrganizationUrl { get; }

    /// <summary>
    /// The id of the organisation behind <see cref="OrganizationUrl"/> (WhoAmI's <c>OrganizationId</c>). It stays the same
    /// when an environment's URL is renamed or reached through another host alias, and differs for another environment,
    /// whose links must never be followed here.
    /// </summary>
    /// <exception cref="SourceUnavailableException">The source cannot be reached or keeps failing.</exception>
    Task<Guid> GetOrganizationIdAsync(CancellationToken cancellationToken);

    /// <summary>Reads the table's metadata and its readable attributes (with option sets).</summary>
    /// <exception cref="EntityNotFoundException">No table has that logical name.</exception>
    /// <exception cref="SourceUnavailableException">The source cannot be reached or keeps failing.</exception>
    Task<EntitySchema> GetEntitySchemaAsync(string logicalName, CancellationToken cancellationToken);

    /// <summary>
    /// Asks, in one request for all of <paramref name="entities"/>, which of them changed their metadata since
    /// <paramref name="stamp"/> (Dataverse's <c>RetrieveMetadataChanges</c> with a <c>ClientVersionStamp</c>): a cheap
    /// drift check instead of re-reading every table's definition. With <paramref name="stamp"/> null every existing table
    /// asked for counts as changed and the answer only yields the first stamp. An expired stamp is answered by asking again
    /// without one (<see cref="MetadataChanges.Expired"/>), never by an exception.
    /// </summary>
    /// <exception cref="SourceUnavailableException">The source cannot be reached or keeps failing.</exception>
    Task<MetadataChanges> GetMetadataChangesAsync(IReadOnlyCollection<string> entities, string? stamp, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one page. <paramref name="cursor"/> null starts a change-tracking initial read of every row (selecting
    /// the layout's columns); otherwise the cursor's link is followed byte for byte.
    /// </summary>
    /// <exception cref="ChangeTrackingDisabledException">The table does not track changes.</exception>
    /// <exception cref="ChangeTokenExpiredException">The delta token is past retention (0x80044352): re-seed.</exception>
    /// <exception cref="CursorRejectedException">The source rejected a saved link: restart the read.</exception>
    Task<ChangePage> ReadChangesAsync(TableLayout layout, SyncCursor? cursor, CancellationToken cancellationToken);
}
