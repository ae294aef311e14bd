using System.Text.Json;
using System.Text.Json.Serialization;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Engine.Seeding;

/// <summary>
/// Where a parallel seed stands, stored as the entity's cursor (<see cref="CursorKind.Partitioned"/>) so it is committed
/// with every page like any cursor: the delta link taken before the ranges were read, and each range's next link.
/// </summary>
internal sealed record PartitionedSeedProgress(string Token, IReadOnlyList<PartitionProgress> Partitions)
{
    public bool Done => Partitions.All(p => p.Done);

    public PartitionedSeedProgress With(int index, PartitionProgress partition)
    {
        var partitions = Partitions.ToArray();
        partitions[index] = partition;
        return this with { Partitions = partitions };
    }

    public SyncCursor ToCursor() => new(CursorKind.Partitioned, JsonSerializer.Serialize(this, PartitionedSeedJson.Default.PartitionedSeedProgress));

    /// <exception cref="InvalidDataException">The stored record cannot be read (written by an incompatible version).</exception>
    public static PartitionedSeedProgress FromCursor(SyncCursor cursor)
    {
        try
        {
            return JsonSerializer.Deserialize(cursor.Url, PartitionedSeedJson.Default.PartitionedSeedProgress)
                   ?? throw new InvalidDataException("The parallel seed's progress record is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("The parallel seed's progress record cannot be read: " + ex.Message, ex);
        }
    }
}

/// <summary>One key range of a parallel seed: its bounds, the next link to follow (null before the first page), done.</summary>
internal sealed record PartitionProgress(Guid? From, Guid? To, string? Next, bool Done)
{
    public IdRange Range => new(From, To);
}

[JsonSerializable(typeof(PartitionedSeedProgress))]
internal sealed partial class PartitionedSeedJson : JsonSerializerContext;
