using System.Buffers.Binary;

namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// SQL Server <c>uniqueidentifier</c> ordering (the order <see cref="System.Data.SqlTypes.SqlGuid"/> compares in):
/// bytes 10–15 are most significant, then 8–9, 6–7, 4–5, 0–3 of the .NET byte layout. Rows are stored under a
/// <see cref="UInt128"/> key that sorts the same way, so binary search and ordinal comparison of keys follow the
/// order Dataverse pages in.
/// </summary>
internal sealed class SqlGuidOrder : IComparer<Guid>
{
    private static readonly int[] ByteOrder = [10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3];

    public static readonly SqlGuidOrder Instance = new();

    public static UInt128 ToKey(Guid id)
    {
        Span<byte> raw = stackalloc byte[16];
        id.TryWriteBytes(raw);
        Span<byte> ordered = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            ordered[i] = raw[ByteOrder[i]];
        }

        return BinaryPrimitives.ReadUInt128BigEndian(ordered);
    }

    public static Guid FromKey(UInt128 key)
    {
        Span<byte> ordered = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(ordered, key);
        Span<byte> raw = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            raw[ByteOrder[i]] = ordered[i];
        }

        return new Guid(raw);
    }

    public int Compare(Guid x, Guid y) => ToKey(x).CompareTo(ToKey(y));
}
