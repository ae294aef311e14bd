namespace ReportingSync.Source;

/// <summary>
/// Which of the asked-for tables changed their metadata (a column added, altered or removed, a label renamed, the table
/// itself changed or removed) since a stamp, and the stamp to ask with next time. Keep <see cref="Stamp"/> with the
/// tables' state and re-read the schema (<see cref="IChangeSource.GetEntitySchemaAsync"/>) of every changed table only.
/// </summary>
/// <param name="Stamp">The source's version stamp as of this answer: pass it as the stamp of the next call.</param>
/// <param name="ChangedEntities">Logical names (of those asked for) whose metadata must be read again.</param>
public sealed record MetadataChanges(string Stamp, IReadOnlySet<string> ChangedEntities)
{
    /// <summary>
    /// The stamp was too old (Dataverse keeps metadata changes 90 days by default) or expired by the server
    /// (ExpiredVersionStamp, 0x80044352): the changes are unknown, so <see cref="ChangedEntities"/> holds every table asked
    /// for and each must be read in full. <see cref="Stamp"/> is a fresh one.
    /// </summary>
    public bool Expired { get; init; }

    /// <summary>Requests the answer cost (2 when an expired stamp made the client ask again without one).</summary>
    public int Requests { get; init; } = 1;
}
