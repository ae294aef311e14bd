using System.Globalization;
using System.Text;

namespace ReportingSync.Sql;

/// <summary>
/// What to change in one metadata table so it holds exactly the desired rows within the sync's scope: rows whose match
/// key is new are inserted, rows whose other values differ are updated in place (a renamed label stays one row), rows
/// no longer wanted are deleted. Version and timestamp columns are not compared; they are set here on every insert or
/// update. Rows hold the table's writable columns in order.
/// </summary>
internal sealed record MetadataDiff(IReadOnlyList<object?[]> Inserts, IReadOnlyList<object?[]> Updates, IReadOnlyList<object?[]> Deletes)
{
    public bool IsEmpty => Inserts.Count == 0 && Updates.Count == 0 && Deletes.Count == 0;

    public static MetadataDiff Compute(OwnedTable table, IReadOnlyList<object?[]> desired, IReadOnlyList<object?[]> existing, DateTime now)
    {
        var key = table.MatchKey.Select(k => MetadataRows.Ordinal(table, k)).ToArray();
        var version = table.VersionColumn is { } v ? MetadataRows.Ordinal(table, v) : -1;
        var timestamp = table.TimestampColumn is { } t ? MetadataRows.Ordinal(table, t) : -1;
        var stored = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var row in existing)
        {
            stored[Key(row, key)] = row;
        }

        var inserts = new List<object?[]>();
        var updates = new List<object?[]>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in desired)
        {
            var k = Key(row, key);
            if (!wanted.Add(k))
            {
                continue;
            }

            var copy = (object?[])row.Clone();
            if (!stored.TryGetValue(k, out var old))
            {
                Stamp(copy, version, timestamp, 1, now);
                inserts.Add(copy);
            }
            else if (Differs(copy, old, version, timestamp))
            {
                Stamp(copy, version, timestamp, version >= 0 && old[version] is long n ? n + 1 : 1, now);
                updates.Add(copy);
            }
        }

        var deletes = existing.Where(row => !wanted.Contains(Key(row, key))).ToList();
        return new MetadataDiff(inserts, updates, deletes);
    }

    /// <summary>A string identity of the key values (invariant, type-tagged so 1 and "1" differ).</summary>
    public static string Key(object?[] row, int[] ordinals)
    {
        var text = new StringBuilder();
        foreach (var i in ordinals)
        {
            text.Append(row[i]?.GetType().Name).Append(':').Append(Convert.ToString(row[i], CultureInfo.InvariantCulture)).Append('\u001f');
        }

        return text.ToString();
    }

    private static bool Differs(object?[] desired, object?[] stored, int version, int timestamp)
    {
        for (var i = 0; i < desired.Length; i++)
        {
            if (i != version && i != timestamp && !Equals(desired[i], stored[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static void Stamp(object?[] row, int version, int timestamp, long value, DateTime now)
    {
        if (version >= 0)
        {
            row[version] = value;
        }

        if (timestamp >= 0)
        {
            row[timestamp] = now;
        }
    }
}
