using ReportingSync.Model;

namespace ReportingSync.Engine;

/// <summary>How one entity's pass ended in a single-pass run (<c>run --once</c>).</summary>
public sealed record EntityOutcome(string Entity, CycleResult Result, Exception? Error)
{
    public bool Succeeded => Error is null;

    /// <summary>The entity's re-seed waits for these objects (its live table streamed in this pass); null when it does not wait.</summary>
    public ReseedBlock? ReseedBlocked { get; init; }
}
