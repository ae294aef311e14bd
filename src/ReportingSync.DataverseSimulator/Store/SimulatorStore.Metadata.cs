using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// Schema change tracking for <c>RetrieveMetadataChanges</c>: every schema operation gets the next metadata version and
/// records which table and attributes it changed or deleted, found by comparing the definitions before and after, so no
/// operation can forget to report itself.
/// </summary>
internal sealed partial class SimulatorStore
{
    private readonly List<MetadataChange> _metadataChanges = [];
    private long _metadataStampFloor;

    /// <summary>
    /// How long a <c>ServerVersionStamp</c> stays usable (Organization.ExpireSubscriptionsInDays, 90 days by default per
    /// Microsoft's RetrieveMetadataChanges sample); an older stamp fails with ExpiredVersionStamp (0x80044352).
    /// </summary>
    public TimeSpan MetadataStampRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Stamps of metadata versions below this are expired (see <see cref="ExpireMetadataStamps"/>).</summary>
    public long MetadataStampFloor => Interlocked.Read(ref _metadataStampFloor);

    /// <summary>Expires every stamp issued so far, as server maintenance can: clients must read their metadata in full.</summary>
    public void ExpireMetadataStamps()
    {
        lock (_gate)
        {
            Interlocked.Exchange(ref _metadataStampFloor, Interlocked.Increment(ref _metadataVersion));
        }
    }

    /// <summary>Schema changes with a metadata version above <paramref name="version"/>, oldest first.</summary>
    internal IReadOnlyList<MetadataChange> MetadataChangesSince(long version)
    {
        lock (_gate)
        {
            return _metadataChanges.Where(c => c.Version > version).ToList();
        }
    }

    /// <summary>Records a schema operation under the store lock; <paramref name="after"/> null means the table was removed.</summary>
    private void RecordSchemaChange(EntityDefinition before, EntityDefinition? after)
    {
        var version = Interlocked.Increment(ref _metadataVersion);
        if (after is null)
        {
            _metadataChanges.Add(new MetadataChange(version, before.LogicalName, before.MetadataId, null, Deleted: true));
            return;
        }

        if (before.ChangeTrackingEnabled != after.ChangeTrackingEnabled || before.PrimaryNameAttribute != after.PrimaryNameAttribute)
        {
            _metadataChanges.Add(new MetadataChange(version, after.LogicalName, after.MetadataId, null, Deleted: false));
        }

        var previous = before.Attributes.ToDictionary(a => a.MetadataId);
        foreach (var attribute in after.Attributes)
        {
            if (!previous.Remove(attribute.MetadataId, out var old) || !(ReferenceEquals(old, attribute) || old.Equals(attribute)))
            {
                _metadataChanges.Add(new MetadataChange(version, after.LogicalName, after.MetadataId, attribute.MetadataId, Deleted: false));
            }
        }

        foreach (var removed in previous.Values)
        {
            _metadataChanges.Add(new MetadataChange(version, after.LogicalName, after.MetadataId, removed.MetadataId, Deleted: true));
        }
    }
}
