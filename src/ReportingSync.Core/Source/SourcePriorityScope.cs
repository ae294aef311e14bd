namespace ReportingSync.Source;

/// <summary>
/// The priority of the source requests made in the current asynchronous flow, for requests whose kind alone does not
/// tell: a nextLink page belongs to a seed or to a long delta read alike. The engine marks the cycles of a seeding or
/// re-seeding entity as background; everything else is streaming.
/// </summary>
public static class SourcePriorityScope
{
    private static readonly AsyncLocal<SourcePriority?> Ambient = new();

    /// <summary>The priority in force here; streaming unless a caller up the flow said otherwise.</summary>
    public static SourcePriority Current => Ambient.Value ?? SourcePriority.Streaming;

    /// <summary>Makes requests in this flow <paramref name="priority"/> until the returned scope is disposed.</summary>
    public static Scope Enter(SourcePriority priority)
    {
        var previous = Ambient.Value;
        Ambient.Value = priority;
        return new Scope(previous);
    }

    /// <summary>Restores the priority that was in force before <see cref="Enter"/>.</summary>
    public readonly struct Scope(SourcePriority? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
