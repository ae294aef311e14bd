namespace ReportingSync.Model;

/// <summary>
/// A re-seed whose shadow table is complete but whose swap waits, since <see cref="SinceUtc"/>, for objects built on the
/// live table that the swap could not keep (<see cref="Objects"/>). The live table keeps streaming meanwhile, and the
/// swap is tried again at every cycle.
/// </summary>
public sealed record ReseedBlock(DateTime SinceUtc, IReadOnlyList<BlockingObject> Objects)
{
    /// <summary>The objects' names, for messages and metric tags.</summary>
    public string Names => string.Join(", ", Objects.Select(o => o.Name));

    /// <summary>Value equality over the objects too (records compare lists by reference).</summary>
    public bool Equals(ReseedBlock? other) => other is not null && SinceUtc == other.SinceUtc && Objects.SequenceEqual(other.Objects);

    public override int GetHashCode() => HashCode.Combine(SinceUtc, Objects.Count);
}
