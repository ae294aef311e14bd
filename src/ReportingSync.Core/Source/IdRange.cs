using System.Buffers.Binary;

namespace ReportingSync.Source;

/// <summary>
/// A half-open range of primary ids, <c>[From, To)</c>, in the order Dataverse compares GUIDs (SQL Server's
/// <c>uniqueidentifier</c> order: bytes 10–15 most significant, then 8–9, 6–7, 4–5, 0–3). Null bounds are open.
/// Used to cut a table into partitions that parallel seeds and reconciliation read independently.
/// </summary>
public readonly record struct IdRange(Guid? From, Guid? To)
{
    private static readonly int[] SignificanceOrder = [10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3];

    /// <summary>Every id.</summary>
    public static IdRange All => default;

    public bool IsAll => From is null && To is null;

    /// <summary>
    /// Splits the whole id space into <paramref name="parts"/> ranges of equal width. Dataverse ids are random
    /// enough (and its sequential ids vary in the low-significance bytes) that equal width means roughly equal rows.
    /// </summary>
    public static IReadOnlyList<IdRange> SplitEvenly(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        var bounds = new Guid?[parts + 1];
        var step = UInt128.MaxValue / (UInt128)parts;
        for (var i = 1; i < parts; i++)
        {
            bounds[i] = FromOrderKey(step * (UInt128)(uint)i);
        }

        var ranges = new IdRange[parts];
        for (var i = 0; i < parts; i++)
        {
            ranges[i] = new IdRange(bounds[i], bounds[i + 1]);
        }

        return ranges;
    }

    /// <summary>Ranges between consecutive boundaries (sorted in Dataverse order), open at both ends.</summary>
    public static IReadOnlyList<IdRange> Between(IReadOnlyList<Guid> boundaries)
    {
        var ranges = new List<IdRange>(boundaries.Count + 1);
        Guid? from = null;
        foreach (var boundary in boundaries)
        {
            ranges.Add(new IdRange(from, boundary));
            from = boundary;
        }

        ranges.Add(new IdRange(from, null));
        return ranges;
    }

    public bool Contains(Guid id) =>
        (From is not { } from || Compare(id, from) >= 0) && (To is not { } to || Compare(id, to) < 0);

    /// <summary>Compares two ids the way Dataverse (SQL Server) orders them.</summary>
    public static int Compare(Guid x, Guid y) => OrderKey(x).CompareTo(OrderKey(y));

    private static UInt128 OrderKey(Guid id)
    {
        Span<byte> raw = stackalloc byte[16];
        id.TryWriteBytes(raw);
        Span<byte> ordered = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            ordered[i] = raw[SignificanceOrder[i]];
        }

        return BinaryPrimitives.ReadUInt128BigEndian(ordered);
    }

    private static Guid FromOrderKey(UInt128 key)
    {
        Span<byte> ordered = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(ordered, key);
        Span<byte> raw = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            raw[SignificanceOrder[i]] = ordered[i];
        }

        return new Guid(raw);
    }

    public override string ToString() => $"[{From?.ToString("D") ?? "-inf"}, {To?.ToString("D") ?? "+inf"})";
}
