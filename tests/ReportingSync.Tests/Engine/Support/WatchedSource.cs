using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Tests.Engine.Support;

/// <summary>
/// A <see cref="ScriptedTable"/> seen through what the supervisor asks of it: the priority each change read is made
/// at, how often the table's definition is read, and metadata-change checks whose answers the test decides.
/// </summary>
internal sealed class WatchedSource(ScriptedTable table) : IChangeSource
{
    private readonly Lock _lock = new();
    private readonly List<(SyncCursor? Cursor, SourcePriority Priority)> _reads = [];
    private int _stamp;

    public int SchemaReads { get; private set; }

    public int Checks { get; private set; }

    /// <summary>The next check names the table as changed.</summary>
    public bool MetadataChanged { get; set; }

    /// <summary>The next check finds its stamp expired.</summary>
    public bool StampExpired { get; set; }

    public IReadOnlyList<(SyncCursor? Cursor, SourcePriority Priority)> Reads
    {
        get { lock (_lock) { return [.. _reads]; } }
    }

    public Uri OrganizationUrl => table.OrganizationUrl;

    public Task<Guid> GetOrganizationIdAsync(CancellationToken cancellationToken) => table.GetOrganizationIdAsync(cancellationToken);

    public Task<EntitySchema> GetEntitySchemaAsync(string logicalName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            SchemaReads++;
        }

        return table.GetEntitySchemaAsync(logicalName, cancellationToken);
    }

    public Task<MetadataChanges> GetMetadataChangesAsync(IReadOnlyCollection<string> entities, string? stamp, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Checks++;
            var expired = stamp is not null && StampExpired;
            var changed = stamp is null || expired ? entities.ToHashSet() : MetadataChanged ? [ScriptedTable.Entity] : new HashSet<string>();
            MetadataChanged = StampExpired = false;
            return Task.FromResult(new MetadataChanges((++_stamp).ToString(System.Globalization.CultureInfo.InvariantCulture), changed) { Expired = expired });
        }
    }

    public Task<ChangePage> ReadChangesAsync(TableLayout layout, SyncCursor? cursor, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Read as the call is made: the priority is the caller's flow's, as the Dataverse client reads it.
            _reads.Add((cursor, SourcePriorityScope.Current));
        }

        return table.ReadChangesAsync(layout, cursor, cancellationToken);
    }
}
