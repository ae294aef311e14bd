using System.Security.Cryptography;
using System.Text;

namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// Stable MetadataIds: a name-based (version 5 style) GUID from the item's path, so every host, seed and run
/// serves the same ids for the same table, attribute, option set or label.
/// </summary>
internal static class MetadataIds
{
    public static Guid For(string kind, string name) => For(kind + ":" + name);

    public static Guid For(string path)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(Encoding.UTF8.GetBytes("reportingsync-simulator/" + path), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
