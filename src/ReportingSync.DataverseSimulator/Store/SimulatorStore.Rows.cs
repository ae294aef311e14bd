using System.Collections.Immutable;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Store;

internal sealed partial class SimulatorStore
{
    /// <summary>
    /// Creates a row with the given values (others null). The id comes from the primary id attribute when given,
    /// else from a seeded sequence. Sets createdon/modifiedon to the simulator clock and assigns the next version.
    /// </summary>
    public Guid Create(string entity, IReadOnlyDictionary<string, object?> values)
    {
        var table = Require(entity);
        var definition = table.Schema.Definition;
        var normalized = ValueNormalizer.Normalize(definition, values);
        Guid? requestedId = values.TryGetValue(definition.PrimaryIdAttribute, out var idValue) && idValue is not null
            ? idValue as Guid? ?? Guid.Parse(idValue.ToString()!)
            : null;
        return CreateCore(table, normalized, requestedId, genIndex: -1, out _);
    }

    /// <summary>Creates a row whose values are generated like the start-up rows (used by the change generator).</summary>
    public StoreChange CreateGenerated(string entity)
    {
        var table = Require(entity);
        int genIndex;
        lock (_gate)
        {
            genIndex = table.NextGenIndex++;
        }

        _ = CreateCore(table, ImmutableDictionary<string, object?>.Empty.WithComparers(StringComparer.Ordinal), null, genIndex, out var change);
        return change;
    }

    /// <summary>Updates the given attributes of a row (partial update); bumps versionnumber and modifiedon. Returns the new version.</summary>
    public long Update(string entity, Guid id, IReadOnlyDictionary<string, object?> values)
    {
        var table = Require(entity);
        var normalized = ValueNormalizer.Normalize(table.Schema.Definition, values);
        StoreChange change;
        lock (_gate)
        {
            var key = SqlGuidOrder.ToKey(id);
            var row = table.Find(key) ?? throw new KeyNotFoundException($"{entity} With Id = {id} Does Not Exist");
            var now = ValueNormalizer.TruncateToSeconds(_time.GetUtcNow());
            var current = row.State ?? new RowState(id, key, 0, false, row.BaseIndex, false,
                ImmutableDictionary<string, object?>.Empty.WithComparers(StringComparer.Ordinal));
            var merged = current.Values.SetItems(normalized);
            if (table.Schema.Definition.Find("modifiedon") is not null)
            {
                merged = merged.SetItem("modifiedon", now);
            }

            merged = WithComputedFullName(table, row, current with { Values = merged }, normalized);
            var version = ++_version;
            table.Overrides[key] = current with { Version = version, Values = merged };
            change = Record(table, key, id, version, ChangeKind.Update);
        }

        Notify(change);
        return change.Version;
    }

    /// <summary>
    /// Deletes a row; the delete gets its own version and appears in later deltas. Returns that version. The row keeps
    /// its values in the recycle bin, so <see cref="Restore"/> can bring it back.
    /// </summary>
    public long Delete(string entity, Guid id)
    {
        var table = Require(entity);
        StoreChange change;
        lock (_gate)
        {
            var key = SqlGuidOrder.ToKey(id);
            var row = table.Find(key) ?? throw new KeyNotFoundException($"{entity} With Id = {id} Does Not Exist");
            var version = ++_version;
            var isCreated = row.State?.IsCreated ?? false;
            table.Overrides[key] = new RowState(id, key, version, true, row.GenIndex, isCreated,
                row.State?.Values ?? ImmutableDictionary<string, object?>.Empty.WithComparers(StringComparer.Ordinal));
            if (row.BaseIndex >= 0)
            {
                table.DeletedBaseCount++;
            }
            else
            {
                table.CreatedKeys.Remove(key);
            }

            change = Record(table, key, id, version, ChangeKind.Delete);
        }

        Notify(change);
        return change.Version;
    }

    /// <summary>
    /// Restores a deleted row from the recycle bin, as Dataverse's Restore message does: same id, the values it had when
    /// deleted, the next version (and <c>modifiedon</c> now, since the row is written again). A delta read whose window
    /// holds both the delete and the restore returns the row as new/updated and, after every changed row, as deleted;
    /// Microsoft documents that order for one delta read. Returns the new version.
    /// </summary>
    /// <exception cref="InvalidOperationException">A row with this id exists (Restore fails when the key is taken).</exception>
    /// <exception cref="KeyNotFoundException">No deleted row with this id is in the recycle bin.</exception>
    public long Restore(string entity, Guid id)
    {
        var table = Require(entity);
        StoreChange change;
        lock (_gate)
        {
            var key = SqlGuidOrder.ToKey(id);
            if (table.Find(key) is not null)
            {
                throw new InvalidOperationException($"A {entity} with id {id} already exists; only a deleted row can be restored.");
            }

            if (!table.Overrides.TryGetValue(key, out var deleted) || !deleted.Deleted)
            {
                throw new KeyNotFoundException($"{entity} {id} is not in the recycle bin.");
            }

            var values = deleted.Values;
            if (table.Schema.Definition.Find("modifiedon") is not null)
            {
                values = values.SetItem("modifiedon", ValueNormalizer.TruncateToSeconds(_time.GetUtcNow()));
            }

            var version = ++_version;
            table.Overrides[key] = deleted with { Version = version, Deleted = false, Values = values };
            if (table.FindBaseIndex(key) >= 0)
            {
                table.DeletedBaseCount--;
            }
            else
            {
                table.CreatedKeys.Add(key);
            }

            change = Record(table, key, id, version, ChangeKind.Restore);
        }

        Notify(change);
        return change.Version;
    }

    /// <summary>The current row, or null when it does not exist.</summary>
    public StoreRow? Get(string entity, Guid id)
    {
        var table = Require(entity);
        var row = table.Find(SqlGuidOrder.ToKey(id));
        return row is { } r ? ToStoreRow(table, table.Schema, r) : null;
    }

    /// <summary>All current rows in SQL Server uniqueidentifier order.</summary>
    public IReadOnlyList<StoreRow> Snapshot(string entity)
    {
        var view = View(Require(entity));
        return view.Rows(KeyRange.All).Select(r => ToStoreRow(view.Table, view.Schema, r)).ToList();
    }

    public int Count(string entity)
    {
        var table = Require(entity);
        lock (_gate)
        {
            return table.LiveCount;
        }
    }

    /// <summary>Every change with a version greater than <paramref name="version"/>, in version order.</summary>
    public IReadOnlyList<StoreChange> ChangesSince(long version)
    {
        lock (_gate)
        {
            var start = _changes.BinarySearch(new StoreChange(string.Empty, Guid.Empty, version, ChangeKind.Update, default), VersionComparer.Instance);
            start = start < 0 ? ~start : start + 1;
            return _changes.GetRange(start, _changes.Count - start);
        }
    }

    /// <summary>Full names Dataverse composes from their parts: the display name, and the yomi (phonetic) name.</summary>
    private static readonly (string Full, string First, string Last)[] ComposedNames =
    [
        ("fullname", "firstname", "lastname"),
        ("yomifullname", "yomifirstname", "yomilastname"),
    ];

    /// <summary>
    /// Like Dataverse, fullname follows firstname and lastname (and yomifullname the yomi parts): an update to either part
    /// recomputes it unless the update sets the full name itself.
    /// </summary>
    private ImmutableDictionary<string, object?> WithComputedFullName(TableData table, RowRef row, RowState updated, ImmutableDictionary<string, object?> changed)
    {
        var schema = table.Schema;
        var definition = schema.Definition;
        var values = updated.Values;
        foreach (var (fullName, firstName, lastName) in ComposedNames)
        {
            if (changed.ContainsKey(fullName) || (!changed.ContainsKey(firstName) && !changed.ContainsKey(lastName))
                || definition.Find(fullName) is not { } full || definition.Find(firstName) is not { } first
                || definition.Find(lastName) is not { } last)
            {
                continue;
            }

            var view = row with { State = updated with { Values = values } };
            var name = string.Join(' ', new[] { GetValue(table, schema, view, first), GetValue(table, schema, view, last) }
                .OfType<string>().Where(n => n.Length > 0));
            values = values.SetItem(fullName, name.Length == 0 ? null : Generation.ValueGenerator.Fit(name, full.MaxLength));
        }

        return values;
    }

    internal long VersionOf(TableData table, in RowRef row) => row.State?.Version ?? table.BaseVersion(row.BaseIndex);

    private Guid CreateCore(TableData table, ImmutableDictionary<string, object?> values, Guid? requestedId, int genIndex, out StoreChange change)
    {
        Guid id;
        lock (_gate)
        {
            id = requestedId ?? NewGuid(ref _ids);
            var key = SqlGuidOrder.ToKey(id);
            if (table.Find(key) is not null)
            {
                throw new InvalidOperationException($"A {table.LogicalName} with id {id} already exists.");
            }

            var now = ValueNormalizer.TruncateToSeconds(_time.GetUtcNow());
            var definition = table.Schema.Definition;
            foreach (var stamp in (ReadOnlySpan<string>)["createdon", "modifiedon"])
            {
                if (definition.Find(stamp) is not null)
                {
                    values = values.SetItem(stamp, now);
                }
            }

            var baseIndex = table.FindBaseIndex(key);
            var created = new RowState(id, key, 0, false, genIndex, true, values);
            values = WithComputedFullName(table, new RowRef(key, baseIndex, created), created, values);
            var version = ++_version;
            table.Overrides[key] = created with { Version = version, Values = values };
            if (baseIndex >= 0)
            {
                table.DeletedBaseCount--;
            }
            else
            {
                table.CreatedKeys.Add(key);
            }

            change = Record(table, key, id, version, ChangeKind.Create);
        }

        Notify(change);
        return id;
    }

    private StoreChange Record(TableData table, UInt128 key, Guid id, long version, ChangeKind kind)
    {
        var at = _time.GetUtcNow();
        table.ChangeLog.Add(new ChangeEntry(version, key, kind, at));
        var change = new StoreChange(table.LogicalName, id, version, kind, at);
        _changes.Add(change);
        return change;
    }

    private StoreRow ToStoreRow(TableData table, TableSchema schema, RowRef row)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var attribute in schema.Definition.Attributes)
        {
            if (attribute.IsDataColumn && GetValue(table, schema, row, attribute) is { } value)
            {
                values[attribute.LogicalName] = value;
            }
        }

        return new StoreRow(row.Id, VersionOf(table, row), values);
    }

    private sealed class VersionComparer : IComparer<StoreChange>
    {
        public static readonly VersionComparer Instance = new();

        public int Compare(StoreChange? x, StoreChange? y) => x!.Version.CompareTo(y!.Version);
    }
}
