using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Tests.Engine.Support;

/// <summary>
/// A tiny in-memory Dataverse table for engine tests: rows with an id, a name and a versionnumber from one counter,
/// change tracking as Microsoft documents it (an initial read of every row in pages whose last page yields a delta
/// link; a delta read returns new and updated rows first, sorted by version, and deleted ids last), restores from the
/// recycle bin (same id, new version), and a hook to fail any read. Not the simulator: the engine's own behaviour is
/// what these tests look at, one page at a time.
/// </summary>
internal sealed class ScriptedTable : IChangeSource, IRowQuerySource
{
    public const string Entity = "contact";

    private readonly Dictionary<Guid, (string Name, long Version)> _rows = [];
    private readonly Dictionary<Guid, long> _deleted = [];
    private readonly Lock _lock = new();
    private long _version;

    public ScriptedTable(int rows = 0, int pageSize = 100)
    {
        PageSize = pageSize;
        for (var i = 0; i < rows; i++)
        {
            Create($"row {i}");
        }
    }

    public static EntitySchema Schema { get; } = new()
    {
        LogicalName = Entity,
        EntitySetName = "contacts",
        PrimaryIdAttribute = "contactid",
        PrimaryNameAttribute = "fullname",
        ChangeTrackingEnabled = true,
        Attributes =
        [
            new AttributeSchema { LogicalName = "contactid", Kind = AttributeKind.Uniqueidentifier },
            new AttributeSchema { LogicalName = "fullname", Kind = AttributeKind.String, MaxLength = 100 },
            new AttributeSchema { LogicalName = "versionnumber", Kind = AttributeKind.BigInt },
        ],
    };

    public int PageSize { get; set; }

    /// <summary>Pages as the real source decodes them (typed columns) rather than as rows of objects.</summary>
    public bool Columnar { get; set; }

    /// <summary>Fails the read of <c>cursor</c> (null: the initial read) when it returns an exception.</summary>
    public Func<SyncCursor?, Exception?>? Fail { get; set; }

    public int Reads { get; private set; }

    public Guid Create(string name)
    {
        var id = Guid.NewGuid();
        lock (_lock)
        {
            _rows[id] = (name, ++_version);
        }

        return id;
    }

    public void Update(Guid id, string name)
    {
        lock (_lock)
        {
            _rows[id] = (name, ++_version);
        }
    }

    public void Delete(Guid id)
    {
        lock (_lock)
        {
            _rows.Remove(id);
            _deleted[id] = ++_version;
        }
    }

    /// <summary>Brings a deleted row back with its id, as the recycle bin does (a new version).</summary>
    public void Restore(Guid id, string name)
    {
        lock (_lock)
        {
            _rows[id] = (name, ++_version);
        }
    }

    public IReadOnlyDictionary<Guid, (string Name, long Version)> Rows
    {
        get { lock (_lock) { return new Dictionary<Guid, (string, long)>(_rows); } }
    }

    public Uri OrganizationUrl { get; set; } = new("https://scripted.crm11.dynamics.com");

    public Guid OrganizationId { get; set; } = new("5c0f0000-0000-4000-8000-00000000a1a1");

    public Task<Guid> GetOrganizationIdAsync(CancellationToken cancellationToken) => Task.FromResult(OrganizationId);

    public Task<EntitySchema> GetEntitySchemaAsync(string logicalName, CancellationToken cancellationToken) => Task.FromResult(Schema);

    /// <summary>The schema never changes: every stamp answers "nothing changed" with the same stamp.</summary>
    public Task<MetadataChanges> GetMetadataChangesAsync(IReadOnlyCollection<string> entities, string? stamp, CancellationToken cancellationToken) =>
        Task.FromResult(new MetadataChanges("1", stamp == "1" ? new HashSet<string>() : entities.ToHashSet()) { Expired = stamp is not null and not "1" });

    public Task<ChangePage> ReadChangesAsync(TableLayout layout, SyncCursor? cursor, CancellationToken cancellationToken)
    {
        Reads++;
        if (Fail?.Invoke(cursor) is { } failure)
        {
            return Task.FromException<ChangePage>(failure);
        }

        lock (_lock)
        {
            // Links: "initial:<offset>:<snapshot>" while an initial read pages, "delta:<version>" after it, and
            // "changes:<offset>:<since>:<snapshot>" while a delta read pages.
            var parts = cursor?.Url.Split(':') ?? ["initial", "0", _version.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            return Task.FromResult(parts[0] switch
            {
                "initial" => Page(layout, Current(0), int.Parse(parts[1]), long.Parse(parts[2]), o => $"initial:{o}:{parts[2]}", []),
                "delta" => Delta(layout, long.Parse(parts[1]), 0, _version),
                _ => Delta(layout, long.Parse(parts[2]), int.Parse(parts[1]), long.Parse(parts[3])),
            });
        }
    }

    private ChangePage Delta(TableLayout layout, long since, int offset, long snapshot)
    {
        // New or updated items first, sorted by version, then the deleted ones: Microsoft documents this order.
        var changed = Current(since).Where(r => r.Version <= snapshot).ToList();
        var deleted = _deleted.Where(d => d.Value > since && d.Value <= snapshot).OrderBy(d => d.Value).Select(d => d.Key).ToList();
        var items = changed.Select(r => (Row: ((Guid, string, long)?)r, Deleted: (Guid?)null))
            .Concat(deleted.Select(id => (Row: ((Guid, string, long)?)null, Deleted: (Guid?)id))).ToList();
        var page = items.Skip(offset).Take(PageSize).ToList();
        var rows = Batch(layout, page.Where(i => i.Row is not null).Select(i => i.Row!.Value));

        var next = offset + page.Count < items.Count
            ? SyncCursor.Next($"changes:{offset + page.Count}:{since}:{snapshot}")
            : SyncCursor.Delta($"delta:{snapshot}");
        return new ChangePage(rows, page.Where(i => i.Deleted is not null).Select(i => i.Deleted!.Value).ToList(), next);
    }

    private ChangePage Page(TableLayout layout, List<(Guid Id, string Name, long Version)> all, int offset, long snapshot, Func<int, string> nextLink, IReadOnlyList<Guid> deletes)
    {
        var page = all.Where(r => r.Version <= snapshot).Skip(offset).Take(PageSize).ToList();
        var rows = Batch(layout, page);

        var more = offset + page.Count < all.Count(r => r.Version <= snapshot);
        return new ChangePage(rows, deletes, more ? SyncCursor.Next(nextLink(offset + page.Count)) : SyncCursor.Delta($"delta:{snapshot}"));
    }

    private List<(Guid Id, string Name, long Version)> Current(long since) =>
        _rows.Where(r => r.Value.Version > since).OrderBy(r => r.Value.Version).Select(r => (r.Key, r.Value.Name, r.Value.Version)).ToList();

    private RowBatch Batch(TableLayout layout, IEnumerable<(Guid Id, string Name, long Version)> page)
    {
        if (!Columnar)
        {
            var rows = new RowBatch(layout);
            foreach (var row in page)
            {
                rows.Add(Row(layout, row));
            }

            return rows;
        }

        var batch = RowBatch.Columnar(layout, 0);
        var cells = batch.Columns!;
        foreach (var (id, name, version) in page)
        {
            var row = cells.StartRow();
            cells.SetGuid(row, layout.IdOrdinal, id);
            cells.SetText(row, layout.IndexOf("fullname"), System.Text.Encoding.UTF8.GetBytes(name));
            cells.SetInt64(row, layout.VersionOrdinal, version);
            cells.EndRow();
        }

        return batch;
    }

    private static object?[] Row(TableLayout layout, (Guid Id, string Name, long Version) row)
    {
        var values = new object?[layout.Columns.Count];
        values[layout.IdOrdinal] = row.Id;
        values[layout.IndexOf("fullname")] = row.Name;
        values[layout.VersionOrdinal] = row.Version;
        return values;
    }

    // ---- IRowQuerySource: what repairs and estimates use ----

    public Task<RowBatch> FetchByIdsAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var rows = new RowBatch(layout, ids.Count);
            foreach (var id in ids.Where(_rows.ContainsKey))
            {
                rows.Add(Row(layout, (id, _rows[id].Name, _rows[id].Version)));
            }

            return Task.FromResult(rows);
        }
    }

    public Task<long?> GetTotalRecordCountAsync(string logicalName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<long?>(_rows.Count);
        }
    }

    public Task<QueryPage> ReadRangePageAsync(TableLayout layout, IdRange range, string? continuation, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The scripted table seeds sequentially.");

    public Task<KeyPage> ReadKeysPageAsync(TableLayout layout, IdRange range, string? continuation, bool trackChanges, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The scripted table seeds sequentially.");

    public Task<IReadOnlyList<Guid>> ReadOrderedIdsAsync(TableLayout layout, Guid? after, int count, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The scripted table seeds sequentially.");
}
