using System.Collections.Concurrent;

namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// The rows of one table. Generated rows cost one sorted key each (<see cref="BaseKeys"/>); only rows changed after
/// start live in <see cref="Overrides"/>. Fields marked "guarded" are only touched under the store lock; the rest are
/// safe to read from any thread.
/// </summary>
internal sealed class TableData
{
    private readonly long _baseVersionStart;
    private readonly long _versionStride;
    private volatile TableSchema _schema;

    public TableData(TableSchema schema, UInt128[] baseKeys, long baseVersionStart)
    {
        _schema = schema;
        BaseKeys = baseKeys;
        _baseVersionStart = baseVersionStart;
        _versionStride = StrideFor(baseKeys.Length);
        NextGenIndex = baseKeys.Length;
    }

    public TableSchema Schema
    {
        get => _schema;
        set => _schema = value;
    }

    public string LogicalName => _schema.Definition.LogicalName;

    /// <summary>Keys of the generated rows, in SQL Server uniqueidentifier order. Never mutated.</summary>
    public UInt128[] BaseKeys { get; }

    public int BaseCount => BaseKeys.Length;

    public ConcurrentDictionary<UInt128, RowState> Overrides { get; } = new();

    /// <summary>Keys of live rows created after start (guarded).</summary>
    public SortedSet<UInt128> CreatedKeys { get; } = [];

    /// <summary>Generated rows deleted since start (guarded).</summary>
    public int DeletedBaseCount { get; set; }

    /// <summary>Next index for rows the change generator creates with generated values (guarded).</summary>
    public int NextGenIndex { get; set; }

    /// <summary>Every create, update and delete since start, in version order (guarded).</summary>
    public List<ChangeEntry> ChangeLog { get; } = [];

    /// <summary>Delta tokens below this version are expired for this table, e.g. after change tracking was re-enabled (guarded).</summary>
    public long TrackingFloor { get; set; }

    /// <summary>
    /// Primary names of generated rows recently used as lookup targets (direct-mapped by row index, so bounded).
    /// Only rows without an override are cached, and an entry is tied to the schema it was computed under.
    /// </summary>
    public CachedName?[] NameCache { get; } = new CachedName?[1024];

    /// <summary>The last computed delta, reused while a client pages through it.</summary>
    public DeltaCacheEntry? LastDelta { get; set; }

    public int LiveCount => BaseCount - DeletedBaseCount + CreatedKeys.Count;

    /// <summary>
    /// Versions of generated rows: a fixed permutation of this table's block, so version order is unrelated to id
    /// order (as for real rows, whose versions follow edit history).
    /// </summary>
    public long BaseVersion(int index) => _baseVersionStart + 1 + ((index * _versionStride) % BaseKeys.Length);

    public int FindBaseIndex(UInt128 key)
    {
        var index = Array.BinarySearch(BaseKeys, key);
        return index >= 0 ? index : -1;
    }

    /// <summary>First base index whose key is greater than (or, when inclusive, equal to) <paramref name="key"/>.</summary>
    public int LowerBound(UInt128 key, bool inclusive)
    {
        var index = Array.BinarySearch(BaseKeys, key);
        if (index < 0)
        {
            return ~index;
        }

        return inclusive ? index : index + 1;
    }

    /// <summary>The row with this key as it is now, or null when it never existed or is deleted.</summary>
    public RowRef? Find(UInt128 key)
    {
        var baseIndex = FindBaseIndex(key);
        if (Overrides.TryGetValue(key, out var state))
        {
            return state.Deleted ? null : new RowRef(key, baseIndex, state);
        }

        return baseIndex >= 0 ? new RowRef(key, baseIndex, null) : null;
    }

    private static long StrideFor(int count)
    {
        if (count <= 1)
        {
            return 1;
        }

        var stride = Math.Max(1, (long)(count * 0.6180339887)) % count;
        while (stride < 1 || Gcd(stride, count) != 1)
        {
            stride = (stride + 1) % count;
        }

        return stride;
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
