using System.Text.Json;
using System.Text.Json.Serialization;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Engine.Seeding;

/// <summary>
/// Where a parallel seed stands, stored as the entity's cursor (<see cref="CursorKind.Partitioned"/>) so it is committed
/// with every page like any cursor: the key ranges planned so far and each one's next link; while the keys-only
/// change-tracking read is still going, its next link (<see cref="KeysNext"/>) and the id where the unplanned rest of
/// the key space starts (<see cref="Frontier"/>); once it is over, the delta link it ended with (<see cref="Token"/>).
/// </summary>
internal sealed record PartitionedSeedProgress(
    string? Token, IReadOnlyList<PartitionProgress> Partitions, string? KeysNext = null, Guid? Frontier = null)
{
    /// <summary>Nothing read yet: the keys read starts from the beginning and no range is planned.</summary>
    public static PartitionedSeedProgress NotStarted { get; } = new(null, []);

    /// <summary>The keys read is over: every range is planned and the token to stream from is known.</summary>
    public bool Planned => Token is not null;

    public bool Done => Planned && Partitions.All(p => p.Done);

    public PartitionedSeedProgress With(int index, PartitionProgress partition)
    {
        var partitions = Partitions.ToArray();
        partitions[index] = partition;
        return this with { Partitions = partitions };
    }

    /// <summary>
    /// Adds ranges cut from the keys read so far, with where that read goes on (<paramref name="keysNext"/>, null once
    /// it ended in <paramref name="token"/>) and where the key space not yet planned starts.
    /// </summary>
    public PartitionedSeedProgress Plan(IEnumerable<IdRange> ranges, string? keysNext, Guid? frontier, string? token) =>
        new(token, [.. Partitions, .. ranges.Select(r => new PartitionProgress(r.From, r.To, null, false))], keysNext, frontier);

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

    /// <summary>The stored progress, or <see cref="NotStarted"/> before the first range was planned.</summary>
    public static PartitionedSeedProgress FromCursorOrNotStarted(SyncCursor? cursor) =>
        cursor is { Kind: CursorKind.Partitioned } ? FromCursor(cursor) : NotStarted;
}

/// <summary>One key range of a parallel seed: its bounds, the next link to follow (null before the first page), done.</summary>
internal sealed record PartitionProgress(Guid? From, Guid? To, string? Next, bool Done)
{
    public IdRange Range => new(From, To);
}

[JsonSerializable(typeof(PartitionedSeedProgress))]
internal sealed partial class PartitionedSeedJson : JsonSerializerContext;
