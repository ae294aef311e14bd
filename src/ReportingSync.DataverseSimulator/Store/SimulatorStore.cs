using System.Collections.Frozen;
using System.Collections.Immutable;
using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// The simulated organisation's data: tables, rows, the organisation-wide version counter and the change log.
/// Thread-safe. Values use these CLR types: string, int (whole numbers, choices), long (BigInt), decimal (Decimal,
/// Money; scaled to the attribute's precision), double, bool, DateTime (UTC; UserLocal and TimeZoneIndependent),
/// DateOnly (DateOnly behaviour), Guid, <see cref="LookupValue"/>, and "1,2,3" strings for multi-select choices.
/// </summary>
internal sealed partial class SimulatorStore : ILookupTargetSource
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly List<StoreChange> _changes = [];
    private readonly List<IStoreChangeListener> _listeners = [];
    private FrozenDictionary<string, TableData> _tables;
    private FrozenDictionary<string, TableData> _tablesBySet;
    private ImmutableList<string> _order;
    private CellRandom _ids;
    private long _version;
    private long _metadataVersion = 1;
    private long _retentionFloor;

    public SimulatorStore(
        IEnumerable<EntityDefinition> entities, Func<string, int> rowCount, int seed, TimeProvider time, TimeSpan changeRetention, MoneyPrecision? money = null)
    {
        _time = time;
        ChangeRetention = changeRetention;
        Generator = new ValueGenerator(seed, this, money);
        _ids = new CellRandom(StableHash.Combine(StableHash.Mix((ulong)seed), StableHash.Of("created-ids")));
        var tables = new Dictionary<string, TableData>(StringComparer.Ordinal);
        var order = ImmutableList.CreateBuilder<string>();
        foreach (var entity in entities)
        {
            var keys = GenerateKeys(seed, entity.LogicalName, Math.Max(0, rowCount(entity.LogicalName)));
            tables[entity.LogicalName] = new TableData(TableSchema.Initial(entity), keys, _version);
            order.Add(entity.LogicalName);
            _version += keys.Length;
        }

        _tables = tables.ToFrozenDictionary(StringComparer.Ordinal);
        _tablesBySet = _tables.Values.ToFrozenDictionary(t => t.Schema.Definition.EntitySetName, StringComparer.Ordinal);
        _order = order.ToImmutable();
        _retentionFloor = _version;
        InitialVersion = _version;
    }

    public ValueGenerator Generator { get; }

    /// <summary>The organisation version after generation: generated rows hold versions 1 to this value.</summary>
    public long InitialVersion { get; }

    /// <summary>The highest version assigned so far (organisation-wide, strictly increasing).</summary>
    public long CurrentVersion
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Bumped by every schema operation; the version in <c>RetrieveMetadataChanges</c>' ServerVersionStamp.</summary>
    public long MetadataVersion => Interlocked.Read(ref _metadataVersion);

    /// <summary>How long delta tokens stay valid (by the time in the token against the simulator clock).</summary>
    public TimeSpan ChangeRetention { get; set; }

    /// <summary>Delta tokens whose version is below this are expired. Starts at <see cref="InitialVersion"/>.</summary>
    public long RetentionFloor
    {
        get => Interlocked.Read(ref _retentionFloor);
        set => Interlocked.Exchange(ref _retentionFloor, value);
    }

    public TimeProvider Time => _time;

    /// <summary>Served tables, in reference order.</summary>
    public IReadOnlyList<EntityDefinition> Entities
    {
        get
        {
            var tables = _tables;
            return _order.Where(tables.ContainsKey).Select(n => tables[n].Schema.Definition).ToList();
        }
    }

    public EntityDefinition? FindEntity(string logicalName) => _tables.GetValueOrDefault(logicalName)?.Schema.Definition;

    public EntityDefinition? FindEntityBySet(string entitySetName) => _tablesBySet.GetValueOrDefault(entitySetName)?.Schema.Definition;

    internal TableData? FindTable(string logicalName) => _tables.GetValueOrDefault(logicalName);

    internal TableData? FindTableBySet(string entitySetName) => _tablesBySet.GetValueOrDefault(entitySetName);

    public void AddListener(IStoreChangeListener listener)
    {
        lock (_gate)
        {
            _listeners.Add(listener);
        }
    }

    int ILookupTargetSource.GeneratedRowCount(string entity) => _tables.GetValueOrDefault(entity)?.BaseCount ?? 0;

    LookupValue ILookupTargetSource.GeneratedRow(string entity, int index)
    {
        var table = _tables[entity];
        var key = table.BaseKeys[index];
        table.Overrides.TryGetValue(key, out var state);
        return new LookupValue(SqlGuidOrder.FromKey(key), entity, state is { Deleted: true } ? null : NameOf(table, new RowRef(key, index, state)));
    }

    /// <summary>A view for reading one table without holding the lock while rows are rendered.</summary>
    internal TableView View(TableData table)
    {
        lock (_gate)
        {
            return new TableView(table, table.Schema, [.. table.CreatedKeys], _version);
        }
    }

    private TableData Require(string entity) =>
        _tables.GetValueOrDefault(entity) ?? throw new KeyNotFoundException($"The simulator does not serve table '{entity}'.");

    private static UInt128[] GenerateKeys(int seed, string entity, int count)
    {
        var random = new CellRandom(StableHash.Combine(StableHash.Mix((ulong)seed), StableHash.Of("ids:" + entity)));
        var keys = new UInt128[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = SqlGuidOrder.ToKey(NewGuid(ref random));
        }

        Array.Sort(keys);
        for (var i = 1; i < count; i++)
        {
            if (keys[i] == keys[i - 1])
            {
                throw new InvalidOperationException("Generated id collision; choose another seed.");
            }
        }

        return keys;
    }

    private static Guid NewGuid(ref CellRandom random)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, random.NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], random.NextUInt64());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private void Notify(StoreChange change)
    {
        IStoreChangeListener[] listeners;
        lock (_gate)
        {
            if (_listeners.Count == 0)
            {
                return;
            }

            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener.OnChanged(change);
        }
    }
}
